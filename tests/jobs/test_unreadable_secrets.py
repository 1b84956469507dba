"""A submission whose draft's secrets no configured key opens is not sent with ****** in place
of its passwords: it fails, saying why (issue #10, item 5)."""

import pytest

from drsui.jobs.models import Attempt, Submission
from drsui.jobs.services.submit import SECRETS_UNREADABLE, submission_create, submission_send

pytestmark = pytest.mark.django_db

OTHER_KEY = "b3RoZXItZHJzdWkta2V5LW5vdC10aGUtb25lLXVzZWQ="


def test_a_queued_submission_whose_passwords_cannot_be_read_fails_unsent(
        make_draft, project, demo_user, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    submission = submission_create(draft=make_draft(project), user=demo_user)
    settings.DRSUI_SECRET_KEYS = [OTHER_KEY]  # changed before the queue sent it
    project.set_iam_password("sandbox")  # the project's set again under the new key
    project.save()
    submission_send.call(submission.pk)
    submission.refresh_from_db()
    assert (submission.state, submission.active) == (Submission.State.FAILED, False)
    assert (submission.error_code, submission.error_msg) == ("SECRETS", SECRETS_UNREADABLE)
    [attempt] = submission.attempts.all()
    assert attempt.outcome == Attempt.Outcome.NOT_SENT
