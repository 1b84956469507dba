"""Every transition's event reaches each webhook once, signed, in order, through a receiver
that fails and then recovers; the outbox row commits or rolls back with the transition; a
failed post never reaches the transition's caller."""

import json
import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from notify_helpers import drsui_signature_ok, transition
from prometheus_client import REGISTRY

from drsui.notify.models import OutboxMessage
from drsui.notify.services import deliveries_due, webhook_deliver_due

pytestmark = pytest.mark.django_db


def test_a_receiver_that_fails_then_recovers_gets_every_event_once_signed_and_in_order(
        receiver, make_webhook, submission, demo_user, django_capture_on_commit_callbacks):
    make_webhook(receiver.url)
    receiver.script = ["500", "hang"]
    with django_capture_on_commit_callbacks(execute=True):
        transition(submission, "requested", actor=demo_user)
        transition(submission, "approved", actor=demo_user, comment="ok for tonight")
        transition(submission, "sent")
    # The first post failed (500): the next ones wait behind it, nothing delivered yet.
    assert [r["step"] for r in receiver.requests] == ["500"]
    start = timezone.now()
    assert deliveries_due(now=start) == 0  # its retry is not due yet
    assert deliveries_due(now=start + timedelta(seconds=61)) == 0  # it hangs past the timeout
    assert deliveries_due(now=start + timedelta(seconds=61 + 301)) == 3  # recovered
    assert deliveries_due(now=start + timedelta(days=1)) == 0
    assert webhook_deliver_due(OutboxMessage.objects.first().webhook_id) == 0  # a task again

    assert [r["step"] for r in receiver.requests] == ["500", "hang", "ok", "ok", "ok"]
    delivered = receiver.delivered()
    assert [json.loads(r["body"])["event"] for r in delivered] == [
        "requested", "approved", "sent"]
    assert len({r["headers"]["X-Drsui-Delivery"] for r in delivered}) == 3
    assert all(drsui_signature_ok(r) for r in receiver.requests)
    rows = list(OutboxMessage.objects.order_by("id"))
    assert [(m.state, m.attempts) for m in rows] == [
        ("delivered", 3), ("delivered", 1), ("delivered", 1)]


def test_a_tampered_body_fails_the_signature_check(receiver, make_webhook, submission,
                                                   django_capture_on_commit_callbacks):
    make_webhook(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        transition(submission, "approved")
    [request] = receiver.delivered()
    assert drsui_signature_ok(request)
    assert not drsui_signature_ok({**request, "body": request["body"].replace(b"}", b" }")})
    assert not drsui_signature_ok(request, secret="another-secret")


def test_the_outbox_row_rolls_back_with_the_transition(receiver, make_webhook, submission,
                                                       django_capture_on_commit_callbacks):
    make_webhook(receiver.url)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            transition(submission, "approved")
            raise RuntimeError("the transition fails after the signal")
    assert not OutboxMessage.objects.exists()
    assert receiver.requests == []

    with django_capture_on_commit_callbacks(execute=True):
        transition(submission, "approved")
    assert OutboxMessage.objects.get().state == "delivered"
    assert len(receiver.delivered()) == 1


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


@pytest.mark.parametrize(("answer", "error"), [
    ("500", "HTTP 500"), ("hang", "no answer within 0.5 s"),
    ("unreachable", "could not post (ConnectionError)")])
def test_a_failed_post_never_reaches_the_transitions_caller(
        receiver, make_webhook, submission, django_capture_on_commit_callbacks, answer, error):
    make_webhook(_closed_port_url() if answer == "unreachable" else receiver.url)
    receiver.script = [answer]
    with django_capture_on_commit_callbacks(execute=True):
        transition(submission, "rejected", comment="not on a Friday")
    message = OutboxMessage.objects.get()
    assert message.state == "pending" and message.attempts == 1
    assert message.last_error == error
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=50)


def test_the_receiver_called_twice_for_one_change_writes_one_row_per_webhook(
        receiver, make_webhook, submission, demo_user, django_capture_on_commit_callbacks):
    from drsui.jobs.models import Submission
    from drsui.jobs.signals import submission_transitioned

    make_webhook(receiver.url)
    make_webhook(receiver.url, format="wecom")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            submission.save()
            for _ in range(2):  # a retried task
                submission_transitioned.send(sender=Submission, submission=submission,
                                             event="expired", actor=None, comment="")
    assert OutboxMessage.objects.count() == 2
    assert len(receiver.delivered()) == 2


def test_only_enabled_webhooks_of_the_project_subscribed_to_the_event_get_it(
        receiver, make_webhook, submission, django_capture_on_commit_callbacks):
    from drsui.wizard.models import CloudProject

    other = CloudProject.objects.create(name="Other", region="cn-north-4",
                                        project_id="1" * 32, drs_endpoint="http://127.0.0.1:9",
                                        iam_endpoint="http://127.0.0.1:9")
    approvals = make_webhook(receiver.url, events=["approved", "rejected"])
    make_webhook(receiver.url, enabled=False)
    make_webhook(receiver.url, project=other)
    with django_capture_on_commit_callbacks(execute=True):
        transition(submission, "requested")
        transition(submission, "approved")
    assert list(OutboxMessage.objects.values_list("webhook", "event")) == [
        (approvals.pk, "approved")]
    assert [json.loads(r["body"])["event"] for r in receiver.delivered()] == ["approved"]


def _posts_counted() -> dict:
    return {outcome: REGISTRY.get_sample_value("drsui_notifications_total",
                                               {"outcome": outcome}) or 0
            for outcome in ("delivered", "retry", "failed")}


def test_after_the_last_retry_a_message_is_given_up_and_the_next_ones_go(
        receiver, make_webhook, submission, django_capture_on_commit_callbacks, caplog):
    counted = _posts_counted()
    make_webhook(receiver.url)
    receiver.script = ["500"] * 5
    with django_capture_on_commit_callbacks(execute=True):
        transition(submission, "requested")
        transition(submission, "withdrawn")
    moment = timezone.now()
    for _ in range(4):
        moment += timedelta(hours=3)
        deliveries_due(now=moment)
    first, second = OutboxMessage.objects.order_by("id")
    assert (first.state, first.attempts, first.last_error) == ("failed", 5, "HTTP 500")
    assert second.state == "delivered"
    assert [json.loads(r["body"])["event"] for r in receiver.delivered()] == ["withdrawn"]
    assert any(r.levelname == "ERROR" and "given up after 5 attempt(s)" in r.getMessage()
               for r in caplog.records)
    after = _posts_counted()
    assert {k: after[k] - counted[k] for k in after} == {"delivered": 1, "retry": 4, "failed": 1}


def test_a_claimed_message_is_not_claimed_again_until_its_post_ends(make_webhook, submission,
                                                                   receiver):
    from drsui.notify.services import _claim_next

    webhook = make_webhook(receiver.url)
    transition(submission, "approved")  # no commit here: nothing queued, the row is there
    now = timezone.now()
    first = _claim_next(webhook.pk, now)
    assert first is not None and first.attempts == 1
    assert _claim_next(webhook.pk, now) is None  # a second worker at the same moment
    assert _claim_next(webhook.pk, now + timedelta(minutes=2)).pk == first.pk  # lease over


@pytest.mark.django_db(transaction=True)  # the command's pass starts with fresh connections
def test_the_sweep_command_posts_what_is_due(receiver, make_webhook, submission, monkeypatch):
    from drsui.notify import services

    monkeypatch.setattr(services, "_enqueue", lambda webhook_ids: None)  # a task lost
    make_webhook(receiver.url)
    transition(submission, "sent")
    assert receiver.requests == []
    call_command("drsui_deliver_notifications", "--once", verbosity=0)
    assert [json.loads(r["body"])["event"] for r in receiver.delivered()] == ["sent"]
    assert OutboxMessage.objects.get().state == "delivered"
