"""What the submission page and the ops dashboard say about a job's status (issue #13): the
next status check is never a time already passed, the history says when DRS changed, and a
DRS error code is shown only when DRS gave one."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from drsui.contract.times import drs_time_parse
from drsui.jobs.models import ActionRun, Attempt, StatusEvent, Submission
from drsui.jobs.services.refresh import submissions_refresh_due
from drsui.jobs.services.submit import submission_create

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def page_text(response) -> str:
    """The page as read: tags out, entities decoded, white space collapsed."""
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def local(moment: dt.datetime, fmt: str) -> str:
    return timezone.localtime(moment).strftime(fmt)


@pytest.fixture
def detail(client, demo_user):
    client.force_login(demo_user)

    def get(submission, **headers):
        return client.get(reverse("submission_detail", args=[submission.pk]), headers=headers)

    return get


# --- the next status check ------------------------------------------------------------------


def test_a_check_already_due_says_so_instead_of_a_past_time(seed, detail, settings):
    settings.TASKS = DUMMY_TASKS  # the poll queues the check; it is not done yet
    past = timezone.now() - dt.timedelta(minutes=3)
    [submission] = seed(1, drs_status="CREATING", next_refresh_at=past)

    for response in (detail(submission), detail(submission, **{"HX-Request": "true"})):
        text = page_text(response)
        assert "Next status check due now, checking…" in text
        assert local(past, "%H:%M:%S") not in text


def test_a_check_still_to_come_shows_its_time(seed, detail):
    soon = timezone.now() + dt.timedelta(minutes=4)
    [submission] = seed(1, drs_status="CREATING", next_refresh_at=soon)

    assert f"Next status check {local(soon, '%H:%M:%S')}" in page_text(detail(submission))


# --- the status history ---------------------------------------------------------------------


def test_the_history_shows_when_drs_says_each_status_began_and_when_drsui_saw_it(
        sandbox, sandbox_clock, make_draft, demo_user, settings, detail,
        django_capture_on_commit_callbacks):
    settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "CONFIGURATION_DELAY_SECONDS": 120}
    with django_capture_on_commit_callbacks(execute=True):  # the send, queued on commit
        submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    submission.refresh_from_db()
    sandbox_clock.advance(600)  # nobody looked while DRS moved the job on, 2 minutes in
    Submission.objects.filter(pk=submission.pk).update(next_refresh_at=timezone.now())
    assert submissions_refresh_due() == 1
    job = sandbox.client.get_job(submission.drs_job_id)
    assert job["status"] == "CONFIGURATION"
    created_at_drs, configured_at_drs = (
        drs_time_parse(job["create_time"]), drs_time_parse(job["update_time"]))
    assert configured_at_drs == created_at_drs + dt.timedelta(seconds=120)
    creating, configuration = submission.events.all()

    text = page_text(detail(submission))

    assert (f"CREATING at DRS {local(created_at_drs, '%Y-%m-%d %H:%M:%S')} "
            f"· seen {local(creating.at, '%H:%M:%S')}") in text
    assert (f"CONFIGURATION at DRS {local(configured_at_drs, '%Y-%m-%d %H:%M:%S')} "
            f"· seen {local(configuration.at, '%H:%M:%S')}") in text


def test_a_status_drs_gave_no_time_for_says_so(seed, detail):
    [submission] = seed(1, drs_status="CONFIGURATION")
    event = StatusEvent.objects.create(submission=submission, status="CONFIGURATION")

    assert (f"CONFIGURATION seen {local(event.at, '%Y-%m-%d %H:%M:%S')} (DRS gave no time)"
            in page_text(detail(submission)))


# --- error codes: DRS's only ----------------------------------------------------------------


def test_a_drs_refusal_shows_drs_error_code(seed, detail):
    [refused] = seed(1, state="failed", drs_status="", drs_job_id="",
                     error_code="DRS.10000001", error_msg="base_info.name: too long")

    response = detail(refused)

    assert '<code id="drs-error-code">DRS.10000001</code>' in response.text
    assert "DRS.10000001 base_info.name: too long" in page_text(response)


@pytest.mark.parametrize("code, message", [
    ("NOT_CREATED", "DRS has no job of this name: nothing was created. Submit again."),
    ("UNREACHABLE", "DRS could not be reached; nothing was created. connection refused"),
    ("AUTH", "DRS refused the credentials (HTTP 401): token expired"),
])
def test_an_outcome_of_the_portals_own_is_never_shown_as_a_drs_error_code(
        seed, client, ops_user, code, message):
    [failed] = seed(1, state="failed", drs_status="", drs_job_id="", error_code=code,
                    error_msg=message)
    Attempt.objects.create(submission=failed, outcome=Attempt.Outcome.NOT_SENT,
                           error_code=code, error_msg=message, finished_at=timezone.now())
    client.force_login(ops_user)  # who sees the attempts too

    response = client.get(reverse("submission_detail", args=[failed.pk]))

    assert code not in response.text
    assert 'id="drs-error-code"' not in response.text
    text = page_text(response)
    assert f"DRS did not create the task. {message}" in text
    assert f"Not sent (DRS unreachable) {message}" in text  # the attempt's row


def test_a_job_action_the_portal_could_not_settle_is_worded(seed, client, ops_user):
    [created] = seed(1)
    ActionRun.objects.create(submission=created, action="start", state="failed",
                             error_code="UNKNOWN", error_msg="no answer from DRS (ReadTimeout, "
                                                             "outcome unknown)")
    ActionRun.objects.create(submission=created, action="precheck", state="failed",
                             error_code="DRS.10000045", error_msg="The job is busy.")
    client.force_login(ops_user)

    response = client.get(reverse("submission_detail", args=[created.pk]))

    assert "<code>UNKNOWN</code>" not in response.text
    text = page_text(response)
    assert "Outcome unknown: no answer from DRS (ReadTimeout, outcome unknown)" in text
    assert "DRS.10000045 The job is busy." in text


def test_the_dashboard_shows_drs_codes_and_words_the_portals_outcomes(seed, client, ops_user):
    seed(1, name="refused", state="failed", drs_status="", drs_job_id="",
         error_code="DRS.10000001", error_msg="base_info.name: too long")
    seed(1, name="never-created", state="failed", drs_status="", drs_job_id="",
         error_code="NOT_CREATED", error_msg="DRS has no job of this name.")
    seed(1, name="unanswered", state="unknown", drs_status="", drs_job_id="",
         error_code="UNKNOWN", error_msg="no answer from DRS (ReadTimeout)")
    client.force_login(ops_user)

    for headers in ({}, {"HX-Request": "true"}):  # the page, and its poll's table
        response = client.get(reverse("ops_dashboard"), headers=headers)
        assert "NOT_CREATED" not in response.text
        assert '<code class="small" title="base_info.name: too long">DRS.10000001</code>' \
            in response.text
        never = re.search(r'<tr data-id="\d+"><td><a [^>]+>never-created-\d+</a>.*?</tr>',
                          response.text)
        assert never and "Not created at DRS" in never.group(0)
        assert 'title="DRS has no job of this name."' in never.group(0)
        unanswered = re.search(r'<tr data-id="\d+"><td><a [^>]+>unanswered-\d+</a>.*?</tr>',
                               response.text)
        assert unanswered and ">UNKNOWN</span>" in unanswered.group(0)
        assert "Outcome unknown" not in unanswered.group(0)  # the status says it once
