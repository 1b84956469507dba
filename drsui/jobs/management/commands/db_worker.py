"""`manage.py db_worker`: django-tasks-db's worker (same options, rows and states), with a task's
bookkeeping in plain SQL (#11: building the ORM's queries cost a queued send more CPU than the
send itself). On PostgreSQL a ready task is picked and claimed in one statement (`UPDATE …
WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`) instead of BEGIN, SELECT … FOR UPDATE,
UPDATE, COMMIT, and the connection is checked after an idle wait and at most once a second
while busy, not before every task; other databases keep django-tasks-db's loop. A success is
one UPDATE on any database.

drsui.jobs comes before django_tasks_db in INSTALLED_APPS, so this command is the one Django
runs.
"""

import logging
import os
import random
import time

from django.core.management.base import CommandError
from django.db import OperationalError, close_old_connections, connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import retry

from drsui.plainsql import columns, instances

logger = logging.getLogger("django_tasks_db")

_TABLE = DBTaskResult._meta.db_table
# The ready() filter and Meta.ordering of django-tasks-db's model, as its partial index has them.
_PICK_SQL = f"""
UPDATE {_TABLE}
SET status = %(running)s, started_at = %(now)s,
    worker_ids = worker_ids || jsonb_build_array(%(worker_id)s::text)
WHERE id = (
    SELECT id FROM {_TABLE}
    WHERE status = %(ready)s AND backend_name = %(backend)s
      AND (run_after = %(never)s OR run_after <= %(now)s)
      AND (%(every_queue)s OR queue_name = ANY(%(queues)s))
      AND NOT queue_name = ANY(%(excluded)s)
    ORDER BY priority DESC, run_after ASC, enqueued_at ASC
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
RETURNING {columns(DBTaskResult)}"""
_SUCCESS_SQL = f"""
UPDATE {_TABLE}
SET status = %s, return_value = %s, finished_at = %s, exception_class_path = '', traceback = ''
WHERE id = %s"""
_HEALTH_CHECK_EVERY = 1.0  # seconds, while tasks keep coming


class Worker(db_worker.Worker):
    def run(self) -> None:
        if connections[DBTaskResult.objects.db].vendor != "postgresql":
            return super().run()
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id,
                    ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 (no thundering herd)
        checked = 0.0
        while self.running:
            if time.monotonic() - checked >= _HEALTH_CHECK_EVERY:
                close_old_connections()
                checked = time.monotonic()
            # The pick commits its claim: from there a SIGTERM must let the task run (shutdown()
            # exits at once only while no task is running), or it would stay "running".
            self.running_task = True
            try:
                task_result = self.pick()
            except OperationalError:  # dropped since the last check: a new one, checked
                self.running_task = False
                if self.batch:
                    raise
                logger.exception("Picking a task failed on worker_id=%s", self.worker_id)
                connections[DBTaskResult.objects.db].close()
                time.sleep(max(self.interval, 1.0))
                checked = 0.0
                continue
            self.running_task = task_result is not None
            if task_result is not None:
                self.run_task(task_result)
            elif self.batch:
                logger.info("No more tasks to run for worker_id=%s - exiting gracefully.",
                            self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Run maximum tasks (%d) on worker=%s - exiting gracefully.",
                            self._run_tasks, self.worker_id)
                return
            if self.running and task_result is None:
                time.sleep(self.interval)
                checked = 0.0  # after a wait: dropped or expired connections first

    def pick(self) -> DBTaskResult | None:
        """The next ready task, claimed by this worker (its status running), or None."""
        params = {"running": TaskResultStatus.RUNNING, "ready": TaskResultStatus.READY,
                  "now": timezone.now(), "never": get_date_max(), "worker_id": self.worker_id,
                  "backend": self.backend_name, "every_queue": self.process_all_queues,
                  "queues": self.queue_names, "excluded": self.excluded_queue_names}
        for (picked,) in instances([DBTaskResult], _PICK_SQL, params,
                                   using=DBTaskResult.objects.db):
            return picked
        return None

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """django-tasks-db's run_task, the success written by one statement."""
        try:
            self.running_task = True
            task_result = db_task_result.task_result
            task = task_result.task
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                return_value = task.call(TaskContext(task_result=task_result),
                                         *task_result.args, **task_result.kwargs)
            else:
                return_value = task.call(*task_result.args, **task_result.kwargs)
            _set_successful(db_task_result, return_value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except BaseException as e:
            db_task_result.set_failed(e)
            try:
                sender = type(db_task_result.task.get_backend())
                task_result = db_task_result.task_result
            except Exception:
                logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
            else:
                task_finished.send(sender=sender, task_result=task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1


@retry()
def _set_successful(db_task_result: DBTaskResult, return_value) -> None:
    connection = connections[DBTaskResult.objects.db]
    db_task_result.status = TaskResultStatus.SUCCESSFUL
    db_task_result.finished_at = timezone.now()
    db_task_result.return_value = return_value
    db_task_result.exception_class_path = db_task_result.traceback = ""
    with connection.cursor() as cursor:
        cursor.execute(_SUCCESS_SQL, [
            DBTaskResult._meta.get_field(name).get_db_prep_save(
                getattr(db_task_result, name), connection)
            for name in ("status", "return_value", "finished_at", "id")])


class Command(db_worker.Command):
    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, **options) -> None:
        """django-tasks-db's handle(), with this module's Worker."""
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("Warning: --reload and --batch cannot be specified together. "
                           "Disabling autoreload.")
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(queue_names=queue_names, interval=interval, batch=batch,
                        backend_name=backend_name, startup_delay=startup_delay,
                        max_tasks=max_tasks, worker_id=worker_id,
                        excluded_queue_names=excluded_queue_names)
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only in the reloader's child
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
