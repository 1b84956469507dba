"""`manage.py db_worker` is drsui's (#11: on PostgreSQL a task's pick and claim are one
statement, on any database its success one more): it runs the same tasks in the same order,
with the same options and the same rows afterwards as django-tasks-db's own worker."""

import os
import signal
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.tasks import task
from django.test.utils import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from drsui.jobs.management.commands import db_worker
from drsui.jobs.management.commands.db_worker import Worker

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                        "QUEUES": ["default", "other"]}}
# The worker's own transactions, as in production (it checks its connection between tasks,
# which a test's transaction would not survive).
pytestmark = pytest.mark.django_db(transaction=True)
RAN: list[str] = []
_RAN_LOCK = threading.Lock()


@task()
def record(name: str) -> dict:
    with _RAN_LOCK:
        RAN.append(name)
    return {"ran": name}


@task()
def fail(name: str):
    raise ValueError(f"{name} went wrong")


@pytest.fixture(autouse=True)
def database_queue():
    RAN.clear()
    with override_settings(TASKS=DB_QUEUE):
        yield


def run_worker(*options: str, worker_id: str = "worker-1"):
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0",
                 "--worker-id", worker_id, *options, verbosity=0)


def row(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


def test_a_task_runs_once_and_its_row_says_who_ran_it_and_what_it_returned():
    result = record.enqueue("one")
    before = timezone.now()

    run_worker(worker_id="worker-a")
    run_worker(worker_id="worker-b")  # nothing left to run

    done = row(result)
    assert RAN == ["one"]
    assert (done.status, done.return_value, done.worker_ids) == (
        "SUCCESSFUL", {"ran": "one"}, ["worker-a"])
    assert before <= done.started_at <= done.finished_at <= timezone.now()
    assert (done.exception_class_path, done.traceback) == ("", "")
    assert record.get_result(result.id).return_value == {"ran": "one"}


def test_tasks_run_by_priority_then_by_when_they_were_due():
    record.using(priority=0).enqueue("normal, first in")
    record.using(priority=10).enqueue("urgent")
    record.using(priority=0).enqueue("normal, second in")
    record.using(priority=-10).enqueue("whenever")

    run_worker()

    assert RAN == ["urgent", "normal, first in", "normal, second in", "whenever"]


def test_a_task_due_later_waits_and_a_task_now_due_runs():
    later = record.using(run_after=timezone.now() + timedelta(hours=1)).enqueue("later")
    due = record.using(run_after=timezone.now() - timedelta(seconds=1)).enqueue("due")

    run_worker()

    assert RAN == ["due"]
    assert (row(later).status, row(due).status) == ("READY", "SUCCESSFUL")


def test_a_worker_takes_only_its_queues():
    record.enqueue("default's")
    record.using(queue_name="other").enqueue("other's")

    run_worker("--queue-name", "other")
    assert RAN == ["other's"]

    run_worker("--queue-name", "*", "--exclude-queues", "other")
    assert RAN == ["other's", "default's"]


def test_a_failing_task_is_recorded_failed_and_the_next_still_runs():
    failed = fail.enqueue("the first")
    record.enqueue("the second")

    run_worker()

    failed = row(failed)
    assert RAN == ["the second"]
    assert failed.status == "FAILED" and failed.exception_class_path == "builtins.ValueError"
    assert "the first went wrong" in failed.traceback and failed.worker_ids == ["worker-1"]


def test_two_workers_at_once_run_every_task_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("an in-memory SQLite database is not shared by threads")
    results = [record.enqueue(f"task {i}") for i in range(40)]

    def work(worker_id):  # the command's signal handlers are the main thread's: run as it runs
        try:
            Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                   startup_delay=False, max_tasks=None, worker_id=worker_id,
                   excluded_queue_names=[]).run()
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(f"worker-{i}",)) for i in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sorted(RAN) == sorted(f"task {i}" for i in range(40))
    rows = DBTaskResult.objects.filter(pk__in=[r.id for r in results])
    assert {r.status for r in rows} == {"SUCCESSFUL"}
    assert all(len(r.worker_ids) == 1 for r in rows)


@task()
def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def finished(result, timeout: float = 20) -> DBTaskResult:
    deadline = time.monotonic() + timeout
    while (done := row(result)).status in ("READY", "RUNNING") and time.monotonic() < deadline:
        time.sleep(0.02)
    return done


def test_a_worker_whose_connection_dropped_while_busy_connects_again_and_goes_on(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL ends a connection; SQLite has none to end")
    # Busy, the worker does not check its connection first: the pick finds the drop.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    worker = Worker(queue_names=["default"], interval=0.01, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="worker-1",
                    excluded_queue_names=[])

    def work():
        try:
            worker.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    try:
        first = finished(backend_pid.enqueue())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [first.return_value])
        second = finished(backend_pid.enqueue())
    finally:
        worker.running = False
        thread.join(timeout=20)

    assert (first.status, second.status) == ("SUCCESSFUL", "SUCCESSFUL")
    assert second.return_value != first.return_value  # a new connection


def test_a_stop_asked_for_as_a_task_is_claimed_lets_that_task_run_first(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("on SQLite django-tasks-db's loop claims in a transaction a stop rolls back")
    claimed, left = record.enqueue("claimed as the stop came"), record.enqueue("left")
    pick = db_worker.instances

    def pick_then_stop(*args, **kwargs):  # SIGTERM (a deploy) the moment the claim is made
        picked = pick(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGTERM)
        return picked

    monkeypatch.setattr(db_worker, "instances", pick_then_stop)
    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    handlers = {stop: signal.getsignal(stop) for stop in stops}
    worker = Worker(queue_names=["default"], interval=0.01, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="worker-1",
                    excluded_queue_names=[])
    worker.configure_signals()
    try:
        worker.run()  # returns once the claimed task ran: the stop was graceful
    finally:
        for stop, handler in handlers.items():
            signal.signal(stop, handler)

    assert RAN == ["claimed as the stop came"]
    assert (row(claimed).status, row(left).status) == ("SUCCESSFUL", "READY")
