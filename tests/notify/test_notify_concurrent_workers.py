"""Two workers delivering one webhook's messages at the same moment post each message once,
in order (the claim is one UPDATE only one of them wins). On PostgreSQL only (make test's
database pass): the suite's in-memory SQLite answers a concurrent writer "table is locked" at
once, between a claim and its outcome, where PostgreSQL and a file database wait."""

import json
import threading
import time

import pytest
from django.conf import settings
from django.db import connections
from notify_helpers import transition

from drsui.notify import services
from drsui.notify.models import OutboxMessage

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] == "drsui.sqlite",
                       reason="PostgreSQL: concurrent writers wait instead of failing"),
]


def _worker(webhook_id, barrier, outcomes):
    """webhook_deliver_due as a queue worker runs it, until every message is delivered."""
    try:
        barrier.wait()
        for _ in range(200):
            outcomes.append(services.webhook_deliver_due(webhook_id))
            if not OutboxMessage.objects.filter(delivered_at__isnull=True).exists():
                return
            time.sleep(0.01)
    except Exception as exc:  # noqa: BLE001 (asserted by the test)
        outcomes.append(repr(exc))
    finally:
        connections.close_all()


@pytest.mark.parametrize("round_", range(3))
def test_two_workers_at_once_post_each_message_once_in_order(
        receiver, make_webhook, submission, monkeypatch, round_):
    monkeypatch.setattr(services, "_enqueue", lambda webhook_ids: None)  # the workers post
    webhook = make_webhook(receiver.url)
    for event in ("requested", "approved", "sent", "failed"):
        transition(submission, event)
    barrier, outcomes = threading.Barrier(2), []
    threads = [threading.Thread(target=_worker, args=(webhook.pk, barrier, outcomes))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sum(outcomes) == 4
    delivered = receiver.delivered()
    assert [json.loads(r["body"])["event"] for r in delivered] == [
        "requested", "approved", "sent", "failed"]
    assert len(receiver.requests) == 4
    assert [m.attempts for m in OutboxMessage.objects.all()] == [1, 1, 1, 1]
