"""The embedded default (`make run`: runserver, tasks on the thread pool, no worker process)
refreshes job statuses itself: a status moves on with nobody's page open."""

import threading
import time

import pytest

from drsui.jobs import backends, refresher
from drsui.jobs.models import Submission
from drsui.jobs.services.submit import submission_create

pytestmark = pytest.mark.django_db(transaction=True)

THREAD_POOL = {"default": {"BACKEND": "drsui.jobs.backends.ThreadPoolBackend"}}


@pytest.fixture
def config_delay(settings):
    def set_delay(seconds):
        settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "CONFIGURATION_DELAY_SECONDS": seconds}
    return set_delay


@pytest.fixture
def embedded_default(settings, monkeypatch):
    """The embedded default's settings; the refresher is stopped after the test."""
    settings.TASKS = THREAD_POOL
    settings.DRSUI_EMBEDDED_REFRESH = True
    yield lambda: monkeypatch.setattr(backends, "_in_memory_database", lambda: False)
    assert refresher.embedded_refresher_stop()


def refresh_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "drsui-refresh" and t.is_alive()]


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_the_embedded_refresher_moves_a_status_on_without_a_page_request(
        sandbox, make_draft, demo_user, config_delay, embedded_default):
    config_delay(3600)  # CREATING at DRS for now
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    submission.refresh_from_db()
    assert submission.drs_status == "CREATING"
    # As on the embedded default's file database (the test's in-memory one is shared with
    # the refresher's thread, as with Django's live server).
    embedded_default()

    started = refresher.embedded_refresher_start()
    assert started is not None and refresher.embedded_refresher_start() is started  # once
    assert len(refresh_threads()) == 1
    config_delay(0)  # DRS moves the job on: only the refresher can notice

    assert wait_for(lambda: Submission.objects.get(pk=submission.pk).drs_status
                    == "CONFIGURATION")
    assert list(submission.events.values_list("status", flat=True)) == [
        "CREATING", "CONFIGURATION"]

    assert refresher.embedded_refresher_stop()
    assert refresh_threads() == []


def test_no_embedded_refresher_in_production_when_switched_off_or_in_tests(
        settings, embedded_default):
    assert not refresher.embedded_refresh_wanted()  # the suite's in-memory database
    embedded_default()
    assert refresher.embedded_refresh_wanted()
    settings.DRSUI_EMBEDDED_REFRESH = False
    assert refresher.embedded_refresher_start() is None
    settings.DRSUI_EMBEDDED_REFRESH = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # production
    assert refresher.embedded_refresher_start() is None
    assert refresh_threads() == []
