"""ThreadPoolBackend: the embedded default's queue runs tasks off the request thread."""

import logging
import threading

import pytest
from django.conf import settings
from django.tasks import task
from django.tasks.base import TaskResultStatus

from drsui.jobs import backends

THREADS = {"default": {"BACKEND": "drsui.jobs.backends.ThreadPoolBackend"}}
SEEN: dict[str, str] = {}
GATE = threading.Event()


@task()
def remember_thread(key: str):
    SEEN[key] = threading.current_thread().name
    GATE.wait(5)


@task()
def fail():
    raise RuntimeError("boom")


@pytest.fixture
def threaded(settings, monkeypatch):
    """As on a file database (the embedded default), not the tests' in-memory one."""
    settings.TASKS = THREADS
    monkeypatch.setattr(backends, "_in_memory_database", lambda: False)
    yield
    GATE.set()
    backends.wait_idle(5)


def test_enqueue_returns_at_once_and_a_pool_thread_runs_the_task(threaded):
    GATE.clear()
    result = remember_thread.enqueue("pool")
    assert result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    assert backends.pending_count() >= 1
    GATE.set()
    assert backends.wait_idle(5)
    assert SEEN["pool"].startswith("drsui-task")
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_a_failing_task_is_logged_not_lost(threaded, caplog):
    with caplog.at_level(logging.ERROR, logger="drsui.jobs.backends"):
        result = fail.enqueue()
        assert backends.wait_idle(5)
    assert result.status == TaskResultStatus.FAILED
    assert "RuntimeError: boom" in caplog.text


@pytest.mark.django_db
@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "drsui.sqlite",
                    reason="the suite's database is not an in-memory SQLite")
def test_on_an_in_memory_database_tasks_run_inline(settings):
    settings.TASKS = THREADS
    GATE.set()
    result = remember_thread.enqueue("inline")
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert SEEN["inline"] == threading.current_thread().name
