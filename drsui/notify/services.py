"""Notifications: the outbox rows a submission's transition writes (in its transaction), and
their delivery after the commit: one webhook's messages in the order they were made, each
claimed before it is posted, retried with back-off, then given up."""

import json
import logging
from datetime import timedelta

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation

from drsui.crypto import SecretUnreadable
from drsui.loop import pass_loop
from drsui.metrics.instruments import NOTIFICATIONS

from .formats import build_post
from .hosts import url_refusal
from .models import OutboxMessage, Webhook

log = logging.getLogger(__name__)
# The robots answer 200 with their own code for a refusal (a wrong sign, a bad message).
_ROBOT_CODE = {Webhook.Format.DINGTALK: "errcode", Webhook.Format.WECOM: "errcode",
               Webhook.Format.FEISHU: "code"}
LOOP_IDLE_SECONDS = 10.0


def _payload(submission, event: str, actor, comment: str) -> dict:
    """What every format tells: names, ids, the state, the comment and a link; no secret."""
    link = reverse("submission_detail", args=[submission.pk])
    return {
        "event": event,
        "submission": {
            "id": submission.pk,
            "name": submission.name,
            "state": submission.state,
            "project": submission.project.name,
            "engine_type": submission.engine_type,
            "url": settings.DRSUI_PORTAL_URL.rstrip("/") + link,
        },
        "actor": actor.get_username() if actor is not None else None,
        "comment": comment or "",
        "at": timezone.now().isoformat(),
    }


def _event_key(submission, event: str, actor) -> str:
    """One change: the same event of the same submission in the same saved state, by the same
    person. A receiver called twice for one change writes one row per webhook."""
    saved = submission.updated_at.isoformat() if submission.updated_at else ""
    return f"{event}:{submission.pk}:{actor.pk if actor is not None else '-'}:{saved}"


# The projects with an enabled webhook, kept this long per process (the default cache is the
# process's memory): a transition in a project without one, the usual case (every send's
# "sent"), reads no webhook. A webhook saved or deleted in this process is seen at once
# (webhooks_changed), one saved in another process (the admin's, seen by a queue worker)
# within this time.
WEBHOOK_PROJECTS_SECONDS = 2
_WEBHOOK_PROJECTS = "drsui:notify:webhook-projects"


def projects_with_webhooks() -> frozenset:
    return cache.get_or_set(_WEBHOOK_PROJECTS, lambda: frozenset(
        Webhook.objects.filter(enabled=True).order_by().values_list("project_id", flat=True)
        .distinct()), WEBHOOK_PROJECTS_SECONDS)


def webhooks_changed(**kwargs):
    """A webhook saved or deleted: forget the projects read before, now and at the commit (a
    thread of this process may read them again in between, without this change)."""
    cache.delete(_WEBHOOK_PROJECTS)
    transaction.on_commit(lambda: cache.delete(_WEBHOOK_PROJECTS))


def outbox_record(sender, *, submission, event, actor=None, comment="", key="", **kwargs):
    """The receiver of jobs.signals.submission_transitioned: an outbox row for each enabled
    webhook of the submission's project that takes the event, in the caller's transaction
    (they commit or roll back with the change); delivery is queued once it commits. `key`
    (optional) tells apart two changes the default key would take for one."""
    if submission.project_id not in projects_with_webhooks():
        return
    webhooks = [w for w in Webhook.objects.filter(project_id=submission.project_id,
                                                  enabled=True).order_by()
                if event in w.events]
    if not webhooks:
        return
    payload = _payload(submission, event, actor, comment)
    key = (key or _event_key(submission, event, actor))[:200]
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(webhook=w, event=event, submission_id=submission.pk, key=key,
                       payload=payload, language=submission.language,
                       next_attempt_at=timezone.now()) for w in webhooks],
        ignore_conflicts=True)
    webhook_ids = [w.pk for w in webhooks]
    transaction.on_commit(lambda: _enqueue(webhook_ids), robust=True)


def _enqueue(webhook_ids):
    for webhook_id in webhook_ids:
        webhook_deliver.enqueue(webhook_id)


@task()
def webhook_deliver(webhook_id: int) -> int:
    return webhook_deliver_due(webhook_id)


def _pending():
    return Q(delivered_at__isnull=True, failed_at__isnull=True)


def _claim_next(webhook_id: int, now) -> OutboxMessage | None:
    """The webhook's oldest message still to post, if it is due, claimed: its attempt counted
    and its next attempt pushed past this post's end, in one UPDATE that only one worker
    wins. None when it is not due, or another worker has it."""
    head = (OutboxMessage.objects.filter(_pending(), webhook_id=webhook_id)
            .order_by("id").first())
    if head is None or (head.next_attempt_at and head.next_attempt_at > now):
        return None
    lease = now + timedelta(seconds=2 * settings.DRSUI_WEBHOOK_TIMEOUT + 30)
    claimed = (OutboxMessage.objects.filter(_pending(), pk=head.pk)
               .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
               .update(next_attempt_at=lease, attempts=F("attempts") + 1))
    if not claimed:
        return None
    head.refresh_from_db()
    return head


# The outbox's errors and the logs are for operators: English, whatever language the thread
# that delivers last served. A message's own text is in its submission's language (build_post).
OPERATOR_LANGUAGE = "en"


def webhook_deliver_due(webhook_id: int, *, now=None) -> int:
    """Post the webhook's due messages, oldest first, until none is due or one is to be tried
    again later (the next ones wait for it: a receiver gets them in order). Never raises for
    a failed post. Returns how many were delivered."""
    with translation.override(OPERATOR_LANGUAGE):
        return _deliver_due(webhook_id, now=now)


def _deliver_due(webhook_id: int, *, now=None) -> int:
    delivered = 0
    while True:
        moment = now or timezone.now()
        message = _claim_next(webhook_id, moment)
        if message is None:
            return delivered
        outcome = _attempt(message, moment)
        if outcome == "delivered":
            delivered += 1
        elif outcome == "retry":
            return delivered


def _attempt(message: OutboxMessage, now) -> str:
    """Post one claimed message: "delivered", "retry" (later) or "failed" (given up)."""
    webhook = message.webhook
    host = webhook.url_shown  # never the URL itself: a robot's carries its token
    if not webhook.enabled:
        return _give_up(message, now, "webhook disabled")  # not translated: operators
    try:
        url, secret = webhook.url(), webhook.secret()
    except SecretUnreadable:
        unreadable = "the webhook's URL or secret cannot be read"  # not translated: operators
        return _give_up(message, now, unreadable)
    refusal = url_refusal(url)
    if refusal:
        return _give_up(message, now, f"not posted: {refusal}")  # not translated: operators
    post = build_post(webhook, message.payload, url=url, language=message.language,
                      now=now.timestamp(), secret=secret, message_id=message.pk)
    error = _post(webhook, post)
    if error is None:
        OutboxMessage.objects.filter(pk=message.pk).update(delivered_at=now, last_error="")
        NOTIFICATIONS.labels(outcome="delivered").inc()
        log.info("notification %s (%s, submission %s) delivered to webhook %s (%s), attempt %d",
                 message.pk, message.event, message.submission_id, webhook.pk, host,
                 message.attempts)
        return "delivered"
    delays = settings.DRSUI_WEBHOOK_RETRY_DELAYS
    if message.attempts > len(delays):
        return _give_up(message, now, error)
    next_at = now + timedelta(seconds=delays[message.attempts - 1])
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=next_at,
                                                       last_error=error[:300])
    NOTIFICATIONS.labels(outcome="retry").inc()
    log.warning("notification %s to webhook %s (%s) not delivered (attempt %d: %s); next "
                "attempt at %s", message.pk, webhook.pk, host, message.attempts, error,
                next_at.isoformat())
    return "retry"


def _give_up(message: OutboxMessage, now, error: str) -> str:
    OutboxMessage.objects.filter(pk=message.pk).update(failed_at=now, last_error=error[:300])
    NOTIFICATIONS.labels(outcome="failed").inc()
    log.error("notification %s (%s, submission %s) to webhook %s given up after %d "
              "attempt(s): %s", message.pk, message.event, message.submission_id,
              message.webhook_id, message.attempts, error)
    return "failed"


def _post(webhook: Webhook, post) -> str | None:
    """None when the receiver took the message, else why not (short; never the URL, which
    may carry a robot's token)."""
    timeout = settings.DRSUI_WEBHOOK_TIMEOUT
    try:
        response = requests.post(post.url, data=post.body, headers=post.headers,
                                 timeout=(timeout, timeout), allow_redirects=False)
    except requests.Timeout:
        return f"no answer within {timeout:g} s"  # not translated: operators
    except requests.RequestException as exc:
        return f"could not post ({type(exc).__name__})"  # not translated: operators
    if not 200 <= response.status_code < 300:
        return f"HTTP {response.status_code}"
    field = _ROBOT_CODE.get(webhook.format)
    if field:
        try:
            answer = response.json()
        except (ValueError, json.JSONDecodeError):
            answer = {}
        code = answer.get(field, 0) if isinstance(answer, dict) else 0
        if code not in (0, None):
            reason = str(answer.get("errmsg") or answer.get("msg") or "")[:120]
            refused = f"refused by the robot: {field} {code} {reason}"  # not translated: operators
            return refused.strip()
    return None


def deliveries_due(*, now=None) -> int:
    """The sweep: post the due messages of every webhook (retries come due here). Returns how
    many were delivered."""
    moment = now or timezone.now()
    webhook_ids = (OutboxMessage.objects.filter(_pending(), next_attempt_at__lte=moment)
                   .values_list("webhook_id", flat=True).distinct())
    return sum(webhook_deliver_due(webhook_id, now=now) for webhook_id in list(webhook_ids))


def messages_retry_now(messages) -> int:
    """The admin's "retry now": pending or given-up messages due at once, queued again."""
    rows = messages.filter(delivered_at__isnull=True)
    webhook_ids = set(rows.values_list("webhook_id", flat=True))
    count = rows.update(failed_at=None, next_attempt_at=timezone.now(), attempts=0)
    transaction.on_commit(lambda: _enqueue(sorted(webhook_ids)), robust=True)
    return count


def delivery_loop(stop, *, idle_seconds: float = LOOP_IDLE_SECONDS, once: bool = False,
                  on_pass=None):
    """Sweep pass after pass until `stop` is set (`once`: one pass, its failure raised):
    drsui.loop.pass_loop."""
    pass_loop(lambda: deliveries_due(), stop, what="notification delivery",  # not translated
              idle_seconds=idle_seconds, once=once, on_pass=on_pass)
