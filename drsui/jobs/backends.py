"""A django.tasks backend for the embedded default: tasks run in a small pool of threads in the
web process, so no request waits on DRS (production uses django_tasks_db and `db_worker`).

An in-memory SQLite database (the test suite's) cannot be shared by threads safely: its
shared-cache table locks fail at once ("database table is locked") instead of waiting, as a
file database in WAL mode or PostgreSQL do. On such a database tasks run inline, exactly as
with ImmediateBackend.
"""

import concurrent.futures
import logging
import threading

from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.base import TaskResult, TaskResultStatus
from django.utils.crypto import get_random_string

log = logging.getLogger(__name__)

# Two: they keep up with a worker's submits under load (`make bench`), and four only took the
# GIL from the requests (submit p99 84–91 ms at 134–138/s against 78–81 ms at 146–152/s).
MAX_WORKERS = 2
_EXECUTOR = concurrent.futures.ThreadPoolExecutor(
    max_workers=MAX_WORKERS, thread_name_prefix="drsui-task")
_PENDING: set[concurrent.futures.Future] = set()
_PENDING_LOCK = threading.Lock()


def wait_idle(timeout: float | None = None) -> bool:
    """Wait until every task enqueued so far has finished; False if `timeout` ran out."""
    with _PENDING_LOCK:
        pending = list(_PENDING)
    _, not_done = concurrent.futures.wait(pending, timeout=timeout)
    return not not_done


def pending_count() -> int:
    with _PENDING_LOCK:
        return len(_PENDING)


def _in_memory_database() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


class ThreadPoolBackend(ImmediateBackend):
    """ImmediateBackend's execution, on a module-level pool of MAX_WORKERS threads."""

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        task_result = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        if _in_memory_database():
            self._execute_task(task_result)
            return task_result
        future = _EXECUTOR.submit(self._run, task_result)
        with _PENDING_LOCK:
            _PENDING.add(future)
        future.add_done_callback(_forget)
        return task_result

    def _run(self, task_result):
        try:
            self._execute_task(task_result)
            if task_result.status == TaskResultStatus.FAILED:
                log.error("task %s failed:\n%s", task_result.task.name,
                          task_result.errors[-1].traceback if task_result.errors else "")
        finally:
            # As after a request: this thread's connection is closed once past CONN_MAX_AGE
            # or broken, else kept for its next task (a new PostgreSQL connection per task,
            # a backend started and a SCRAM log-in, cost more than the task's own queries).
            close_old_connections()


def _forget(future):
    with _PENDING_LOCK:
        _PENDING.discard(future)
