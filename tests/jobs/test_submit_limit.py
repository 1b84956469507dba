"""At most DRSUI_SUBMITS_PER_MINUTE submissions per person per minute: past it the review page
says so and nothing is lost."""

from datetime import timedelta

import pytest
from django.urls import reverse

from drsui.jobs.models import Submission

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _two_a_minute_and_nothing_sent(settings):
    settings.DRSUI_SUBMITS_PER_MINUTE = 2
    settings.TASKS = DUMMY_TASKS


def submit(client, draft):
    return client.post(reverse("draft_step", args=[draft.pk, "review"]))


def test_past_the_limit_the_review_page_says_so_and_keeps_the_draft(
        client, demo_user, project, make_draft):
    drafts = [make_draft(project) for _ in range(3)]
    client.force_login(demo_user)
    assert [submit(client, d).status_code for d in drafts[:2]] == [302, 302]

    refused = submit(client, drafts[2])
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Not sent: at most 2 submissions a minute per person" in page
    assert drafts[2].name in page  # still its review page
    third = drafts[2]
    body_before = third.body
    third.refresh_from_db()
    assert third.body == body_before
    assert Submission.objects.filter(draft=third).count() == 0

    Submission.objects.update(created_at=Submission.objects.latest("created_at").created_at
                              - timedelta(seconds=61))
    assert submit(client, third).status_code == 302
    assert Submission.objects.filter(draft=third).count() == 1


def test_the_limit_is_per_person(client, demo_user, other_user, project, make_draft):
    client.force_login(demo_user)
    for _ in range(2):
        submit(client, make_draft(project))
    client.force_login(other_user)
    assert submit(client, make_draft(project, owner=other_user)).status_code == 302


def test_a_repeated_submit_past_the_limit_still_returns_the_active_submission(
        client, demo_user, project, make_draft):
    from drsui.jobs.services.submit import submission_create

    first, second = make_draft(project), make_draft(project)
    submission_create(draft=first, user=demo_user)
    active = submission_create(draft=second, user=demo_user)
    assert submission_create(draft=second, user=demo_user).pk == active.pk
