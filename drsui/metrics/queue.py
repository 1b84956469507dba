"""Gauges of the task queue, read from the database when /metrics is scraped."""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min
from django.tasks import task_backends
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)


class TaskQueueCollector:
    """django-tasks-db's table: tasks waiting to run (depth and the oldest one's age) and
    tasks running, per queue; and tasks the embedded thread pool has not finished."""

    def collect(self):
        depth = GaugeMetricFamily(
            "drsui_task_queue_depth",
            "Tasks waiting in the database queue (django-tasks-db), ready to run.",
            labels=["queue"],
        )
        oldest = GaugeMetricFamily(
            "drsui_task_queue_oldest_age_seconds",
            "How long the oldest task waiting in the database queue has waited.",
            labels=["queue"],
        )
        running = GaugeMetricFamily(
            "drsui_task_queue_running", "Tasks of the database queue running now.",
            labels=["queue"],
        )
        now = timezone.now()
        try:
            waiting = list(DBTaskResult.objects.ready().order_by().values("queue_name")
                           .annotate(count=Count("id"), oldest=Min("enqueued_at")))
            busy = list(DBTaskResult.objects.running().order_by().values("queue_name")
                        .annotate(count=Count("id")))
        except DatabaseError as exc:  # the other metrics are still worth answering with
            log.warning("task queue metrics unavailable: %s", exc)
            return
        # Every queue the settings name, 0 when empty: an alert tells "empty" from "missing".
        queues = dict.fromkeys(sorted(task_backends["default"].queues), None)
        waiting = {**queues, **{row["queue_name"]: row for row in waiting}}
        busy = {**queues, **{row["queue_name"]: row["count"] for row in busy}}
        for queue, row in waiting.items():
            depth.add_metric([queue], row["count"] if row else 0)
            oldest.add_metric([queue], (now - row["oldest"]).total_seconds() if row else 0)
        for queue, count in busy.items():
            running.add_metric([queue], count or 0)
        yield from (depth, oldest, running)
        if settings.TASKS["default"]["BACKEND"] == "drsui.jobs.backends.ThreadPoolBackend":
            from drsui.jobs.backends import pending_count

            yield GaugeMetricFamily(
                "drsui_tasks_in_process",
                "Tasks given to this process's thread pool (the embedded default's queue) "
                "and not finished.",
                value=pending_count(),
            )


_REGISTRY = CollectorRegistry(auto_describe=False)
_REGISTRY.register(TaskQueueCollector())


def queue_exposition() -> bytes:
    return generate_latest(_REGISTRY)
