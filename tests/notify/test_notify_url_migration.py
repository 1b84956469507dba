"""Migration notify 0002: existing webhooks' URLs are encrypted, shown as their host; and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from drsui import crypto

pytestmark = pytest.mark.django_db(transaction=True)

PLAIN = [("notify", "0001_initial")]
ENCRYPTED = [("notify", "0002_webhook_url_encrypted")]
ROBOT_URL = "https://oapi.dingtalk.com/robot/send?access_token=dt-token-migrated-71"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_webhook_urls_are_encrypted_and_back(project):
    try:
        apps = migrate(PLAIN)
        apps.get_model("notify", "Webhook").objects.create(
            project_id=project.pk, name="robot", url=ROBOT_URL, format="dingtalk")

        apps = migrate(ENCRYPTED)
        [(encrypted, shown)] = apps.get_model("notify", "Webhook").objects.values_list(
            "url_encrypted", "url_shown")
        assert "dt-token-migrated-71" not in encrypted + shown
        assert crypto.decrypt_text(encrypted) == ROBOT_URL
        assert shown == "https://oapi.dingtalk.com/******"

        apps = migrate(PLAIN)
        assert list(apps.get_model("notify", "Webhook").objects.values_list(
            "url", flat=True)) == [ROBOT_URL]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
