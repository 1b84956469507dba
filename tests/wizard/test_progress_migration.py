"""Migration 0004: a draft's progress, an index into the steps, becomes its slug; and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

AS_INDEX = [("wizard", "0003_body_keeps_key_order")]
AS_SLUG = [("wizard", "0004_furthest_step_by_slug")]


def migrate(targets):
    """Migrate to `targets`; the models as they stand there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def progress(apps) -> dict[str, object]:
    return dict(apps.get_model("wizard", "Draft").objects.values_list("name", "furthest_step"))


def test_progress_moves_from_an_index_to_a_slug_and_back():
    try:
        apps = migrate(AS_INDEX)
        owner = apps.get_model("auth", "User").objects.create(username="migrated")
        Draft = apps.get_model("wizard", "Draft")
        for name, index in [("new", 0), ("at-network", 3), ("at-review", 6), ("past-end", 9)]:
            Draft.objects.create(owner=owner, name=name, body={}, furthest_step=index)

        apps = migrate(AS_SLUG)
        assert progress(apps) == {"new": "base", "at-network": "network",
                                  "at-review": "review", "past-end": "review"}
        Draft = apps.get_model("wizard", "Draft")
        Draft.objects.create(owner_id=owner.pk, name="at-a-later-step", body={},
                             furthest_step="approval")  # a step added after 0004

        apps = migrate(AS_INDEX)
        assert progress(apps) == {"new": 0, "at-network": 3, "at-review": 6, "past-end": 6,
                                  "at-a-later-step": 0}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
