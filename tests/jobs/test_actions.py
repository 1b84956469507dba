"""Job actions after creation (test connection, precheck, start) through DRS's action API."""

import pytest
from django.urls import reverse

from drsui.audit.models import AuditEvent
from drsui.jobs.models import ActionRun, Submission
from drsui.jobs.services.refresh import submissions_refresh_due
from drsui.jobs.services.submit import submission_create
from drsui.sandbox.faults import clear_faults, set_faults
from drsui.sandbox.jobs import PRECHECK_ITEMS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def configured(sandbox, make_draft, demo_user, settings):
    """A submission whose job is CONFIGURATION at DRS (ready for the next steps)."""
    settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "CONFIGURATION_DELAY_SECONDS": 0}
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    Submission.objects.filter(pk=submission.pk).update(next_refresh_at="2000-01-01T00:00Z")
    submissions_refresh_due()
    submission.refresh_from_db()
    assert submission.drs_status == "CONFIGURATION"
    return submission


@pytest.fixture
def ops_client(client, ops_user):
    client.force_login(ops_user)
    return client


def act(client, submission, action):
    return client.post(reverse("ops_submission_action", args=[submission.pk, action]))


def test_test_connection_shows_each_item(ops_client, configured, ops_user):
    response = act(ops_client, configured, "network")
    assert response.status_code == 302
    [run] = configured.action_runs.all()
    assert (run.action, run.state, run.user) == ("network", "done", ops_user)
    assert run.query_id and run.result["status"] == "success"
    assert [i["item"] for i in run.items] == ["source", "target"]
    page = ops_client.get(response.url).text
    assert "Test connection" in page and "<code>source</code>" in page
    [event] = AuditEvent.objects.filter(action="action")
    assert (event.user, event.submission) == (ops_user, configured)
    assert "network" in event.detail


def test_precheck_shows_the_per_item_results(ops_client, configured):
    act(ops_client, configured, "precheck")
    [run] = configured.action_runs.all()
    assert run.state == "done" and run.result["total_passed_rate"] == "100%"
    assert [(i["item"], i["verdict"]) for i in run.items] == [
        (item, "PASS") for item in PRECHECK_ITEMS]
    page = ops_client.get(reverse("submission_detail", args=[configured.pk])).text
    for item in PRECHECK_ITEMS:
        assert f"<code>{item}</code>" in page
    assert "passed 100%" in page


def test_start_moves_the_job_on_and_the_refresh_looks_at_once(ops_client, configured):
    act(ops_client, configured, "start")
    [run] = configured.action_runs.all()
    assert run.state == "done" and run.result == {}
    configured.refresh_from_db()
    assert configured.refresh_interval == 5  # looked at again at once
    assert submissions_refresh_due() == 1
    configured.refresh_from_db()
    assert configured.drs_status in ("STARTJOBING", "INCRE_TRANSFER_STARTED")


def test_drs_refusing_an_action_is_shown_not_a_500(ops_client, sandbox, make_draft, demo_user,
                                                   settings):
    settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "CONFIGURATION_DELAY_SECONDS": 3600}
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    response = act(ops_client, submission, "start")  # still CREATING at DRS
    assert response.status_code == 302
    [run] = submission.action_runs.all()
    assert (run.state, run.error_code) == ("failed", "DRS.10000020")
    page = ops_client.get(response.url).text
    assert "DRS.10000020" in page and "not allowed while the task is CREATING" in page


def test_a_drs_fault_on_an_action_is_shown(ops_client, configured):
    set_faults(error_rate=1)
    act(ops_client, configured, "network")
    [run] = configured.action_runs.all()
    assert run.state == "failed" and run.error_code == "UNKNOWN"
    assert "HTTP 500" in run.error_msg
    assert run.error_msg in ops_client.get(reverse("submission_detail", args=[configured.pk])).text


def test_a_result_not_ready_is_fetched_again_by_the_page_poll(ops_client, configured):
    set_faults(error_rate=0.5)  # the action is accepted; the first ask for its result fails
    act(ops_client, configured, "precheck")
    [run] = configured.action_runs.all()
    assert run.state == "running" and run.query_id
    assert "not available yet" in run.error_msg
    clear_faults()
    url = reverse("submission_detail", args=[configured.pk])
    poll = ops_client.get(url, headers={"HX-Request": "true"}).text
    assert 'hx-trigger="every 1s"' in poll
    run.refresh_from_db()
    assert run.state == "done" and len(run.items) == len(PRECHECK_ITEMS)


def test_no_action_before_the_job_exists(ops_client, sandbox, make_draft, demo_user):
    set_faults(error_rate=1, scope="create")
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    response = act(ops_client, submission, "precheck")
    assert response.status_code == 302
    assert not ActionRun.objects.exists()
    assert "not created at DRS yet" in ops_client.get(response.url).text


def test_only_the_three_actions_have_urls(ops_client, configured):
    assert ops_client.post(f"/ops/submissions/{configured.pk}/action/terminate/").status_code \
        == 404


def test_an_action_whose_worker_died_ends_failed_and_says_why(ops_client, configured, ops_user):
    """Claimed, then the worker was killed before DRS answered: after the longest a send can
    take, the run is failed "unknown" and the page says so; one waiting for its result stays."""
    from datetime import timedelta

    from django.utils import timezone

    long_ago = timezone.now() - timedelta(hours=1)
    cut_off = ActionRun.objects.create(submission=configured, action="start", user=ops_user,
                                       state=ActionRun.State.RUNNING)
    waiting = ActionRun.objects.create(submission=configured, action="precheck", user=ops_user,
                                       state=ActionRun.State.RUNNING, query_id="q-1")
    ActionRun.objects.filter(pk__in=(cut_off.pk, waiting.pk)).update(updated_at=long_ago)

    submissions_refresh_due()

    cut_off.refresh_from_db()
    waiting.refresh_from_db()
    assert (cut_off.state, cut_off.error_code) == (ActionRun.State.FAILED, "UNKNOWN")
    assert waiting.state == ActionRun.State.RUNNING
    page = ops_client.get(reverse("submission_detail", args=[configured.pk])).content.decode()
    assert "whether DRS received it is not known" in page
