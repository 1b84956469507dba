"""Each fault the sandbox injects, end to end over HTTP: what the submission says, and that
DRS never gets two jobs for one draft. Plus what the sandbox cannot inject: an unreachable
DRS (a closed port) and refused credentials."""

import time

import pytest

from drsui.audit.models import AuditEvent
from drsui.jobs.models import Attempt, Submission
from drsui.jobs.services.refresh import submissions_refresh_due
from drsui.jobs.services.submit import submission_create, submission_retry
from drsui.sandbox.faults import clear_faults, set_faults
from drsui.wizard.models import CloudProject

pytestmark = pytest.mark.django_db(transaction=True)

Out = Attempt.Outcome


def outcomes(submission):
    return list(submission.attempts.values_list("outcome", flat=True))


@pytest.fixture
def short_timeout(settings):
    settings.DRSUI_HTTP_READ_TIMEOUT = 0.4
    return settings


def test_latency_below_the_timeout_only_slows_the_create(
        sandbox, make_draft, demo_user, sandbox_clock):
    set_faults(latency_ms=300)
    draft = make_draft(sandbox.project)
    started = sandbox_clock.now()
    submission = submission_create(draft=draft, user=demo_user)
    assert (sandbox_clock.now() - started).total_seconds() >= 0.3
    submission.refresh_from_db()
    assert submission.state == "created" and outcomes(submission) == [Out.CREATED]


def test_a_500_on_create_is_looked_up_by_name_then_failed_and_retried_once(
        sandbox, make_draft, demo_user, ops_user):
    set_faults(error_rate=1, scope="create")
    draft = make_draft(sandbox.project)
    failed = submission_create(draft=draft, user=demo_user)
    failed.refresh_from_db()
    # Sent, so unknown: DRS is asked by name, has nothing: failed, the draft is free again.
    assert outcomes(failed) == [Out.UNKNOWN, Out.NOT_FOUND]
    assert (failed.state, failed.active, failed.error_code) == ("failed", False, "NOT_CREATED")
    assert failed.error_msg.startswith("DRS answered HTTP 500 (DRS.10000500); asked by name")
    assert sandbox.jobs(name=draft.name) == []

    clear_faults()
    retry = submission_retry(submission=failed, user=ops_user)
    retry.refresh_from_db()
    assert retry.pk != failed.pk and retry.retry_of == failed
    assert retry.state == "created" and retry.user == demo_user
    assert len(sandbox.jobs(name=draft.name)) == 1
    assert outcomes(failed) == [Out.UNKNOWN, Out.NOT_FOUND]  # the old attempts stay
    [event] = AuditEvent.objects.filter(action="retry")
    assert (event.user, event.submission) == (ops_user, retry)


def test_a_malformed_answer_to_create_is_an_unknown_outcome(sandbox, make_draft, demo_user):
    set_faults(malformed_rate=1, scope="create")
    draft = make_draft(sandbox.project)
    submission = submission_create(draft=draft, user=demo_user)
    submission.refresh_from_db()
    assert outcomes(submission) == [Out.UNKNOWN, Out.NOT_FOUND]
    assert "malformed" in submission.attempts.first().detail
    assert "malformed" in submission.error_msg  # what the result page says
    assert submission.state == "failed" and sandbox.jobs(name=draft.name) == []


def test_a_hang_after_create_is_found_by_name_not_sent_twice(
        sandbox, make_draft, demo_user, short_timeout):
    set_faults(hang_seconds=1, scope="create")
    draft = make_draft(sandbox.project)
    submission = submission_create(draft=draft, user=demo_user)
    submission.refresh_from_db()
    [job] = sandbox.jobs(name=draft.name)
    assert outcomes(submission) == [Out.UNKNOWN, Out.FOUND]
    assert submission.state == "created" and submission.drs_job_id == job["id"]
    assert submission.attempts.last().drs_job_id == job["id"]


def test_when_even_the_look_up_hangs_the_draft_stays_held_until_found(
        sandbox, make_draft, demo_user, ops_user, short_timeout):
    set_faults(hang_seconds=1)
    draft = make_draft(sandbox.project)
    submission = submission_create(draft=draft, user=demo_user)
    submission.refresh_from_db()
    assert outcomes(submission) == [Out.UNKNOWN, Out.UNKNOWN]
    assert (submission.state, submission.active) == ("unknown", True)
    # Nobody can send this draft again meanwhile.
    assert submission_create(draft=draft, user=demo_user).pk == submission.pk

    clear_faults()
    same = submission_retry(submission=submission, user=ops_user)
    assert same.pk == submission.pk
    submission.refresh_from_db()
    assert outcomes(submission) == [Out.UNKNOWN, Out.UNKNOWN, Out.FOUND]  # no second create
    assert submission.state == "created"
    assert len(sandbox.jobs(name=draft.name)) == 1


def test_the_background_refresh_resolves_an_unknown_outcome(
        sandbox, make_draft, demo_user, short_timeout):
    set_faults(hang_seconds=1)
    draft = make_draft(sandbox.project)
    submission = submission_create(draft=draft, user=demo_user)
    clear_faults()
    Submission.objects.filter(pk=submission.pk).update(next_refresh_at="2000-01-01T00:00Z")
    assert submissions_refresh_due() == 1
    submission.refresh_from_db()
    assert submission.state == "created" and outcomes(submission)[-1] == Out.FOUND


def test_latency_beyond_the_timeout_then_a_retry_adopts_the_late_job(
        live_sandbox, make_draft, demo_user, ops_user, short_timeout):
    """The create lands after the client gave up and after the look-up found nothing; the
    retry's create is refused as a duplicate name and the late job is adopted. (A live server:
    the late create runs on while the look-up is answered.)"""
    sandbox = live_sandbox
    set_faults(latency_ms=1000, scope="create")
    draft = make_draft(sandbox.project)
    failed = submission_create(draft=draft, user=demo_user)
    failed.refresh_from_db()
    assert outcomes(failed) == [Out.UNKNOWN, Out.NOT_FOUND] and failed.state == "failed"
    time.sleep(1)  # the late create lands
    clear_faults()
    [job] = sandbox.jobs(name=draft.name)
    retry = submission_retry(submission=failed, user=ops_user)
    retry.refresh_from_db()
    assert outcomes(retry) == [Out.REFUSED, Out.FOUND]
    assert retry.attempts.first().error_code == "DRS.M0027700"
    assert retry.state == "created" and retry.drs_job_id == job["id"]
    assert len(sandbox.jobs(name=draft.name)) == 1


def test_a_duplicate_name_without_an_earlier_unknown_is_a_refusal_with_a_fix_link(
        client, sandbox, make_draft, demo_user):
    draft = make_draft(sandbox.project)
    other = make_draft(sandbox.project, name=draft.name.upper())
    submission_create(draft=other, user=demo_user)
    submission = submission_create(draft=draft, user=demo_user)
    submission.refresh_from_db()
    assert submission.state == "failed" and submission.error_code == "DRS.M0027700"
    assert submission.error_path == "base_info.name"
    assert outcomes(submission) == [Out.REFUSED]
    client.force_login(demo_user)
    page = client.get(f"/submissions/{submission.pk}/").content.decode()
    assert "DRS.M0027700" in page and submission.error_msg in page
    assert "Fix it in Base info" in page


def test_an_unreachable_drs_is_not_sent_and_frees_the_draft(
        make_draft, demo_user, sandbox):
    project = sandbox.project
    project.drs_endpoint = project.iam_endpoint = "http://127.0.0.1:9"  # nothing listens
    project.save()
    submission = submission_create(draft=make_draft(project), user=demo_user)
    submission.refresh_from_db()
    assert (submission.state, submission.active, submission.error_code) == (
        "failed", False, "UNREACHABLE")
    assert outcomes(submission) == [Out.NOT_SENT]


def test_refused_credentials_fail_with_the_reason(sandbox, make_draft, demo_user):
    sandbox.project.set_iam_password("wrong-password")
    sandbox.project.save()
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    submission.refresh_from_db()
    assert submission.state == "failed" and submission.error_code == "AUTH"
    assert outcomes(submission) == [Out.REFUSED]


def test_a_credential_that_cannot_be_decrypted_ends_the_attempt_as_unknown(
        sandbox, make_draft, demo_user):
    """E.g. the key it was encrypted with was removed from DRSUI_SECRET_KEYS."""
    CloudProject.objects.filter(pk=sandbox.project.pk).update(
        iam_password_encrypted="not-a-fernet-token", static_token_encrypted="")
    draft = make_draft(CloudProject.objects.get(pk=sandbox.project.pk))
    submission = submission_create(draft=draft, user=demo_user)
    submission.refresh_from_db()
    assert (submission.state, submission.active) == ("unknown", True)
    assert "internal error" in submission.error_msg
    [attempt] = submission.attempts.all()
    assert attempt.outcome == Out.UNKNOWN and attempt.finished_at is not None
    assert sandbox.jobs(name=draft.name) == []
