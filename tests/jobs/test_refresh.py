"""The background status refresh: only what is due, back-off while nothing changes, a reset on
a change, nothing once final; faults leave the last known status."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from drsui.jobs.models import REFRESH_MAX, Submission
from drsui.jobs.services.refresh import refresh_enqueue_if_due, submissions_refresh_due
from drsui.jobs.services.submit import submission_create
from drsui.sandbox.faults import set_faults

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def config_delay(settings):
    def set_delay(seconds):
        settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "CONFIGURATION_DELAY_SECONDS": seconds}
    return set_delay


def make_due(submission):
    Submission.objects.filter(pk=submission.pk).update(
        next_refresh_at=timezone.now() - dt.timedelta(seconds=1))


def seconds_to_next(submission) -> float:
    submission.refresh_from_db()
    return (submission.next_refresh_at - timezone.now()).total_seconds()


def test_refresh_backs_off_while_unchanged_and_starts_again_on_a_change(
        sandbox, make_draft, demo_user, config_delay):
    config_delay(3600)  # CREATING for now
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    assert 0 < seconds_to_next(submission) <= 1.5  # the first look comes soon

    assert submissions_refresh_due() == 0  # not due yet: DRS is not asked
    waits = []
    for _ in range(3):
        make_due(submission)
        assert submissions_refresh_due() == 1
        waits.append(round(seconds_to_next(submission)))
    assert waits == [5, 10, 20]
    assert submission.drs_status == "CREATING" and submission.events.count() == 1

    Submission.objects.filter(pk=submission.pk).update(refresh_interval=REFRESH_MAX)
    make_due(submission)
    submissions_refresh_due()
    assert round(seconds_to_next(submission)) == REFRESH_MAX  # capped at 10 minutes
    assert submission.refresh_interval == REFRESH_MAX

    config_delay(0)  # DRS moves it on
    make_due(submission)
    submissions_refresh_due()
    submission.refresh_from_db()
    assert submission.drs_status == "CONFIGURATION"
    assert round(seconds_to_next(submission)) == 5 and submission.refresh_interval == 10
    assert list(submission.events.values_list("status", flat=True)) == [
        "CREATING", "CONFIGURATION"]


def test_a_final_status_is_never_asked_again(sandbox, make_draft, demo_user, config_delay):
    config_delay(0)
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    submission.refresh_from_db()
    sandbox.client.get_job(submission.drs_job_id)  # CONFIGURATION at DRS
    sandbox.client.job_action(submission.drs_job_id, "terminate")
    make_due(submission)
    submissions_refresh_due()
    submission.refresh_from_db()
    assert submission.drs_status == "RELEASE_RESOURCE_COMPLETE"
    assert submission.next_refresh_at is None
    assert submissions_refresh_due() == 0


def test_a_fault_keeps_the_last_status_and_backs_off(
        sandbox, make_draft, demo_user, config_delay):
    config_delay(0)
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    set_faults(error_rate=1)
    make_due(submission)
    assert submissions_refresh_due() == 1
    submission.refresh_from_db()
    assert submission.drs_status == "CREATING" and submission.refresh_interval == 10
    set_faults(malformed_rate=1)
    make_due(submission)
    submissions_refresh_due()
    submission.refresh_from_db()
    assert submission.drs_status == "CREATING" and submission.refresh_interval == 20


def test_two_refreshers_never_look_at_one_job_at_once(
        sandbox, make_draft, demo_user, config_delay):
    config_delay(3600)
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    make_due(submission)
    stale_copy = Submission.objects.get(pk=submission.pk)
    assert submissions_refresh_due() == 1
    # A second refresher holding the old schedule cannot claim it.
    assert Submission.objects.filter(
        pk=submission.pk, next_refresh_at=stale_copy.next_refresh_at).count() == 0


def test_the_pages_polls_queue_the_refresh_only_when_due(
        client, sandbox, make_draft, demo_user, config_delay):
    config_delay(0)
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    client.force_login(demo_user)
    url = reverse("submission_detail", args=[submission.pk])
    Submission.objects.filter(pk=submission.pk).update(
        next_refresh_at=timezone.now() + dt.timedelta(minutes=5))
    assert refresh_enqueue_if_due() is False
    assert 'id="drs-status">CREATING' in client.get(url, headers={"HX-Request": "true"}).text
    make_due(submission)
    poll = client.get(url, headers={"HX-Request": "true"}).text
    # The test database runs tasks inline; in the embedded default a pool thread does it.
    assert 'id="drs-status">CONFIGURATION' in poll
    assert 'hx-trigger="every 5s"' in poll


def test_the_refresh_command_for_production_workers(sandbox, make_draft, demo_user,
                                                    config_delay):
    from io import StringIO

    from django.core.management import call_command

    config_delay(0)
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    make_due(submission)
    out = StringIO()
    call_command("drsui_refresh_status", "--once", stdout=out)
    assert "looked at 1 submission(s)" in out.getvalue()
    submission.refresh_from_db()
    assert submission.drs_status == "CONFIGURATION"


def test_failing_passes_wait_longer_each_time_up_to_a_minute(monkeypatch):
    """The database away (or never migrated): the loop goes on, saying so less and less often."""
    import threading

    from drsui import loop
    from drsui.jobs.services import refresh

    def database_away():
        raise OSError("database unreachable")

    waits = []

    class Stop(threading.Event):
        def wait(self, timeout=None):
            waits.append(timeout)
            if len(waits) == 8:
                self.set()

    monkeypatch.setattr(refresh, "submissions_refresh_due", database_away)
    monkeypatch.setattr(loop, "close_old_connections", lambda: None)
    refresh.refresh_loop(Stop(), idle_seconds=2.0)
    assert waits == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
