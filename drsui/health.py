"""/readyz: whether this process can serve — the database answers, every migration is applied,
and the task queue is being worked (no task ready to run has waited longer than
DRSUI_READY_QUEUE_MAX_AGE seconds). 200 or 503, with JSON naming each check."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)
_migrations_applied = False  # once true for this process, true for its life (same code)


def _database() -> str | None:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        log.error("readyz: the database does not answer: %s", exc)
        return f"the database does not answer ({type(exc).__name__})"
    return None


def _migrations() -> str | None:
    global _migrations_applied
    if _migrations_applied:
        return None
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        return f"{len(plan)} migration(s) not applied ({names}): run manage.py migrate"
    _migrations_applied = True
    return None


def _queue() -> str | None:
    from django_tasks_db.models import DBTaskResult, get_date_max

    max_age = timedelta(seconds=settings.DRSUI_READY_QUEUE_MAX_AGE)
    now = timezone.now()
    cutoff = now - max_age
    waiting = (DBTaskResult.objects.ready().filter(enqueued_at__lt=cutoff)
               .filter(Q(run_after=get_date_max()) | Q(run_after__lt=cutoff))
               .order_by("enqueued_at").values_list("enqueued_at", "run_after").first())
    if waiting is None:
        return None
    enqueued_at, run_after = waiting
    due_since = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
    return (f"the oldest task ready to run has waited {int((now - due_since).total_seconds())} s "
            f"(more than {settings.DRSUI_READY_QUEUE_MAX_AGE} s): is `manage.py db_worker` "
            f"running?")


@never_cache
def readyz(request):
    checks = {"database": _database()}
    if checks["database"] is None:
        checks["migrations"] = _migrations()
        checks["queue"] = _queue()
    else:
        checks.update(migrations="not checked", queue="not checked")
    problems = [reason for reason in checks.values() if reason and reason != "not checked"]
    body = {"ready": not problems, "checks": {k: v or "ok" for k, v in checks.items()}}
    if problems:
        body["reason"] = "; ".join(problems)
    return JsonResponse(body, status=503 if problems else 200)
