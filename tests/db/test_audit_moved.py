"""The audit trail moved from the jobs app to the audit app: a database migrated before the
move keeps its events (same table), and the admin permissions on them follow."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from drsui.audit.models import AuditEvent

JOBS_BEFORE_THE_MOVE = ("jobs", "0003_body_keeps_key_order")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_events_written_before_the_move_are_read_after_it():
    _migrate([("audit", None), JOBS_BEFORE_THE_MOVE])
    old = MigrationExecutor(connection).loader.project_state(JOBS_BEFORE_THE_MOVE).apps
    try:
        amy = old.get_model("auth", "User").objects.create(username="amy")
        old.get_model("jobs", "AuditEvent").objects.create(
            user_id=amy.pk, action="draft_create", draft_id=7, detail="before the move")
        assert ContentType.objects.filter(app_label="jobs", model="auditevent").exists()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    [event] = AuditEvent.objects.all()
    assert (event.user.username, event.action, event.draft_id, event.detail) == (
        "amy", "draft_create", 7, "before the move")
    assert list(ContentType.objects.filter(model="auditevent").values_list("app_label")) == [
        ("audit",)]
