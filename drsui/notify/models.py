"""Outgoing webhooks per cloud project, and the outbox their messages wait in."""

from urllib.parse import urlsplit

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from drsui import crypto
from drsui.jobs.signals import EVENTS
from drsui.logs import MASK
from drsui.wizard.models import CloudProject

EVENT_LABELS = {
    "requested": _("Approval requested"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "withdrawn": _("Withdrawn"),
    "expired": _("Approval expired"),
    "reminder": _("Reminder: awaiting approval"),
    "sent": _("Sent to DRS"),
    "failed": pgettext_lazy("notification event", "Failed"),
}
EVENT_CHOICES = [(event, EVENT_LABELS[event]) for event in EVENTS]


def all_events() -> list[str]:
    return list(EVENTS)


def url_shown(url: str) -> str:
    """A webhook URL as it may be shown and logged: scheme and host, the rest masked (a
    robot's URL carries its access token, in the query or the path)."""
    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
    except ValueError:
        return MASK
    if not parts.scheme or not host:
        return MASK
    rest = "/" + MASK if (parts.path.strip("/") or parts.query or parts.fragment) else ""
    return f"{parts.scheme}://{host}{rest}"


class Webhook(models.Model):
    """Where a project's submissions' events are posted, in which message format. The URL is
    a secret (DingTalk's access_token, WeCom's key, Feishu's hook id): stored encrypted, shown
    as `url_shown`."""

    class Format(models.TextChoices):
        JSON = "json", _("Plain JSON")
        DINGTALK = "dingtalk", _("DingTalk robot")
        WECOM = "wecom", _("WeCom group robot")
        FEISHU = "feishu", _("Feishu custom bot")

    project = models.ForeignKey(CloudProject, on_delete=models.CASCADE, related_name="webhooks",
                                verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=64)
    # Fernet ciphertext (drsui.crypto) of the URL, set through set_url.
    url_encrypted = models.TextField(editable=False)
    # Scheme and host, the rest masked: what lists, logs and errors show.
    url_shown = models.CharField(_("URL"), max_length=300, editable=False)
    format = models.CharField(_("format"), max_length=16, choices=Format.choices,
                              default=Format.JSON)
    # Fernet ciphertext (drsui.crypto), set through set_secret: signs every post.
    secret_encrypted = models.TextField(blank=True, editable=False)
    events = models.JSONField(_("events"), default=all_events)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["project__name", "name"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.name

    def set_url(self, url: str):
        self.url_encrypted = crypto.encrypt_text(url)
        self.url_shown = url_shown(url)

    def url(self) -> str:
        """The URL to post to (SecretUnreadable when no configured key opens it)."""
        return crypto.decrypt_text(self.url_encrypted)

    def set_secret(self, secret: str):
        self.secret_encrypted = crypto.encrypt_text(secret) if secret else ""

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_encrypted)

    def secret(self) -> str:
        return crypto.decrypt_text(self.secret_encrypted) if self.has_secret else ""


class OutboxMessage(models.Model):
    """One event for one webhook: written in the transaction of the change it tells of, posted
    by the queue after the commit (attempts with back-off, then given up)."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="outbox",
                                verbose_name=_("webhook"))
    event = models.CharField(_("event"), max_length=16, choices=EVENT_CHOICES)
    submission_id = models.BigIntegerField(_("submission"), db_index=True)
    # One change told once per webhook, even when the receiver is called twice for it.
    key = models.CharField(max_length=200, editable=False)
    # The plain JSON message (names, ids, states, the comment, a link; never a secret).
    payload = models.JSONField(_("payload"))
    # The submission's language: the person-facing formats' text is written in it.
    language = models.CharField(_("language"), max_length=16, default="en")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Due from then; a claimed message is pushed past its post's timeout (a lease).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["webhook_id", "id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        constraints = [
            models.UniqueConstraint(fields=["webhook", "key"], name="notify_one_event_per_key"),
        ]
        indexes = [
            # The next message of each webhook still to post.
            models.Index(fields=["webhook", "id"], condition=Q(delivered_at__isnull=True,
                                                               failed_at__isnull=True),
                         name="notify_outbox_pending"),
        ]

    def __str__(self):
        return f"{self.event} #{self.submission_id} → {self.webhook}"

    @property
    def state(self) -> str:
        if self.delivered_at:
            return "delivered"
        return "failed" if self.failed_at else "pending"
