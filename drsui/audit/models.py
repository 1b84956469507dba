from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what, when: every create, submit, retry, action and delete."""

    class Action(models.TextChoices):
        DRAFT_CREATE = "draft_create", _("Draft created")
        DRAFT_RENAME = "draft_rename", _("Draft renamed")
        DRAFT_DELETE = "draft_delete", _("Draft deleted")
        SUBMIT = "submit", _("Submitted")
        RETRY = "retry", _("Retried")
        ACTION = "action", _("Job action")
        APPROVAL_REQUEST = "approval_request", _("Approval requested")
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        WITHDRAW = "withdraw", _("Withdrawn")
        EXPIRE = "expire", _("Expired")
        REMIND = "approval_remind", _("Approval reminder")
        APPROVAL_VOID = "approval_void", _("Approvals void")
        WAVE_CREATE = "wave_create", _("Wave started")
        WAVE_SEND = "wave_send", _("Wave sent")

    # The verbose names are the ones Django would give (the admin's English is unchanged).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        verbose_name=_("user"))
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    # By name, not by import: a submission's events are `submission.audit`.
    submission = models.ForeignKey(
        "jobs.Submission", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="audit", verbose_name=_("submission"))
    draft_id = models.BigIntegerField(_("draft id"), null=True, blank=True, db_index=True)
    detail = models.TextField(_("detail"), blank=True)  # in the language of who acted
    # {language code: detail} when its words are the portal's (audit_record): read in each
    # reader's language.
    translations = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        db_table = "jobs_auditevent"  # its table from when the jobs app held it
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.detail}"

    @property
    def detail_shown(self) -> str:
        """The detail in the active language when it was kept in each, else as written."""
        return self.translations.get(translation.get_language() or "", self.detail)
