from django.shortcuts import get_object_or_404
from django.urls import reverse

from drsui import contract as c

from .forms import body_for_validation
from .models import CloudProject, Draft
from .steps import STEPS, step_for_path, step_index


def draft_get_for_user(*, user, draft_id: int) -> Draft:
    """The user's own draft, or 404 whoever else's it is."""
    return get_object_or_404(Draft.objects.select_related("project"), pk=draft_id, owner=user)


def draft_list_for_user(*, user):
    return Draft.objects.filter(owner=user).select_related("project").prefetch_related(
        "submissions")


def project_list():
    return CloudProject.objects.all()


def draft_status(*, draft: Draft) -> dict:
    """How far a draft is: the furthest step, its problems, and where resuming opens it."""
    violations = c.validate(body_for_validation(draft.job, draft.secrets()))
    furthest = min(draft.furthest_step, len(STEPS) - 1)
    resume = min([furthest, *(step_index(step_for_path(v.path).slug) for v in violations)])
    submitted = next((s for s in draft.submissions.all() if s.active), None)
    return {
        "furthest": STEPS[furthest].title,
        "problems": len(violations),
        "complete": furthest == len(STEPS) - 1 and not violations,
        "submission": submitted,
        "resume_url": reverse("submission_detail", args=[submitted.pk]) if submitted
        else reverse("draft_step", args=[draft.pk, STEPS[resume].slug]),
    }
