"""Posting wizard steps as the form does, over Django's test client."""

from django.urls import reverse


def step_url(draft, step):
    return reverse("draft_step", args=[draft.pk, step])


def post(client, draft, step, data, action="next"):
    """Post `data` as the step's fields (each listed as present), with the draft's version."""
    draft.refresh_from_db()
    payload = {"_action": action, "_version": str(draft.version),
               "_present": list(data), **data}
    return client.post(step_url(draft, step), payload)
