"""No secret leaves through a notification: not the webhook's secret, nor the draft's
database passwords, the project's IAM password, or a robot's token in its URL; not in a
payload, a post, the outbox's last error or a log record."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from notify_helpers import WEBHOOK_SECRET, transition

from drsui import contract as c
from drsui.notify.models import OutboxMessage
from drsui.notify.services import deliveries_due
from tests.contract.bodies import oracle_body

pytestmark = pytest.mark.django_db
ROBOT_TOKEN = "robot-access-token-Zk41"
IAM_PASSWORD = "iam-pass-Xq93-unique"


def test_no_secret_in_a_payload_a_post_an_error_or_a_log(
        receiver, make_webhook, submission, project, demo_user, caplog, settings,
        django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    project.set_iam_password(IAM_PASSWORD)
    project.save()
    body = oracle_body()
    db_passwords = [c.get_path(body["job"], path) for path in c.secret_paths(body)]
    assert db_passwords and all(db_passwords)
    for format in ("json", "dingtalk", "wecom", "feishu"):
        make_webhook(f"{receiver.url}?access_token={ROBOT_TOKEN}", format=format)
    receiver.script = ["500", "hang"]
    with django_capture_on_commit_callbacks(execute=True):
        transition(submission, "requested", actor=demo_user, comment="please")
        transition(submission, "approved", actor=demo_user, comment="ok")
    settings.DRSUI_WEBHOOK_HOSTS = []  # the rest are refused: given up, with the reason logged
    deliveries_due(now=timezone.now() + timedelta(hours=1))

    secrets = [WEBHOOK_SECRET, ROBOT_TOKEN, IAM_PASSWORD, *db_passwords]
    rows = list(OutboxMessage.objects.all())
    assert {m.state for m in rows} >= {"delivered", "failed"}
    stored = [str(m.payload) + m.last_error for m in rows]
    posted = [r["body"].decode() + str(r["headers"]) for r in receiver.requests]
    logged = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    assert any("given up" in line for line in logged)
    for secret in secrets:
        for where, texts in (("payload", stored), ("post", posted), ("log", logged)):
            assert not any(secret in text for text in texts), (secret, where)
