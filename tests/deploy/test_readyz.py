"""/healthz says the process is alive; /readyz says whether it can serve: the database answers,
every migration is applied, and no task ready to run has waited too long (503 with a reason)."""

import re
from datetime import timedelta

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from drsui import health

pytestmark = pytest.mark.django_db
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def noop():
    return None


@pytest.fixture(autouse=True)
def _migrations_checked_afresh(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


def readyz(client):
    answer = client.get("/readyz")
    return answer.status_code, answer.json()


def test_healthz_is_alive(client):
    answer = client.get("/healthz")
    assert (answer.status_code, answer.content) == (200, b"ok")


def test_ready_when_every_check_passes(client):
    assert readyz(client) == (200, {"ready": True, "checks": {
        "database": "ok", "migrations": "ok", "queue": "ok"}})


def test_a_database_that_does_not_answer_is_503(client, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "10.0.0.9", port 5432 failed: refused')

    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "cursor", refused)
    status, body = readyz(client)
    assert status == 503 and body["ready"] is False
    assert body["checks"]["database"] == "the database does not answer (OperationalError)"
    assert body["reason"] == body["checks"]["database"]
    assert "10.0.0.9" not in str(body)  # where the database is stays in the log


def test_an_unapplied_migration_is_503_naming_it(client):
    [latest] = [name for app, name in MigrationLoader(None).graph.leaf_nodes() if app == "jobs"]
    MigrationRecorder.Migration.objects.filter(app="jobs", name=latest).delete()
    status, body = readyz(client)
    assert status == 503
    assert body["checks"]["migrations"] == (
        f"1 migration(s) not applied (jobs.{latest}): run manage.py migrate")
    assert body["checks"]["database"] == "ok"


def _enqueued(*, waited: timedelta, due_in: timedelta | None = None) -> DBTaskResult:
    result = noop.using(run_after=due_in and health.timezone.now() + due_in).enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    row.enqueued_at -= waited
    if due_in is not None:
        row.run_after -= waited
    row.save()
    return row


def test_a_ready_task_older_than_the_limit_is_503(client, settings):
    settings.TASKS = DB_QUEUE
    settings.DRSUI_READY_QUEUE_MAX_AGE = 300
    _enqueued(waited=timedelta(seconds=200))
    assert readyz(client)[0] == 200

    _enqueued(waited=timedelta(seconds=420))
    status, body = readyz(client)
    assert status == 503
    waited = re.fullmatch(r"the oldest task ready to run has waited (\d+) s \(more than 300 s\): "
                          r"is `manage.py db_worker` running\?", body["checks"]["queue"])
    assert waited and 420 <= int(waited[1]) < 480
    assert "db_worker" in body["reason"]


def test_a_task_due_later_or_just_due_is_not_a_stall(client, settings):
    settings.TASKS = DB_QUEUE
    settings.DRSUI_READY_QUEUE_MAX_AGE = 300
    _enqueued(waited=timedelta(hours=1), due_in=timedelta(hours=2))  # due in an hour
    _enqueued(waited=timedelta(minutes=10), due_in=timedelta(minutes=9))  # due a minute ago
    assert readyz(client)[0] == 200


def test_a_task_being_worked_on_is_not_a_stall(client, settings):
    settings.TASKS = DB_QUEUE
    row = _enqueued(waited=timedelta(hours=1))
    DBTaskResult.objects.filter(pk=row.pk).update(status="RUNNING")
    assert readyz(client)[0] == 200
