"""Submitting through a cloud project with an access key pair, to the sandbox over real HTTP."""

import logging

import pytest
from django.urls import reverse

from drsui.jobs.models import Attempt, Submission
from drsui.jobs.services.clients import drs_client_for
from drsui.jobs.services.submit import submission_create
from drsui.wizard.models import CloudProject

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def aksk_project(sandbox):
    """The demo's "Sandbox AK/SK" project (made beside "Sandbox" by demo_setup)."""
    return CloudProject.objects.get(name="Sandbox AK/SK")


def test_a_submission_through_an_aksk_project_is_created(
        aksk_project, sandbox, make_draft, demo_user, ops_user, client, caplog):
    caplog.set_level(logging.DEBUG)
    draft = make_draft(aksk_project)

    submission = submission_create(draft=draft, user=demo_user)

    submission.refresh_from_db()
    assert submission.state == Submission.State.CREATED
    [job] = sandbox.jobs(name=draft.name)
    assert submission.drs_job_id == job["id"]
    secret_key = aksk_project.secret_key()
    client.force_login(ops_user)
    pages = [
        client.get(reverse("submission_detail", args=[submission.pk])).content.decode(),
        client.get(reverse("ops_dashboard")).content.decode(),
        b"".join(client.get(reverse("ops_dashboard_csv")).streaming_content).decode(),
        client.get(reverse("draft_export", args=[draft.pk]) + "?format=curl").content.decode(),
    ]
    assert draft.name in pages[0]
    for text in [*pages, caplog.text]:
        assert secret_key not in text


def test_a_wrong_secret_key_fails_the_submission_as_refused_credentials(
        aksk_project, sandbox, make_draft, demo_user):
    aksk_project.set_secret_key("a-secret-key-that-is-not-the-sandbox-s")
    aksk_project.save()
    draft = make_draft(aksk_project)

    submission = submission_create(draft=draft, user=demo_user)

    submission.refresh_from_db()
    assert (submission.state, submission.active, submission.error_code) == (
        "failed", False, "AUTH")
    assert "verify aksk signature fail" in submission.error_msg
    assert "a-secret-key-that-is-not" not in submission.error_msg
    assert [a.outcome for a in submission.attempts.all()] == [Attempt.Outcome.REFUSED]
    assert sandbox.jobs(name=draft.name) == []


def test_the_pair_is_preferred_to_the_iam_user(aksk_project, sandbox):
    aksk_project.iam_user, aksk_project.iam_domain = "sandbox", "sandbox"
    aksk_project.set_iam_password("a-wrong-password")
    aksk_project.save()

    assert drs_client_for(aksk_project).list_jobs()["jobs"] == []
