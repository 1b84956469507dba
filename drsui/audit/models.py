from django.conf import settings
from django.db import models
from django.utils import timezone
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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    # By name, not by import: a submission's events are `submission.audit`.
    submission = models.ForeignKey(
        "jobs.Submission", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="audit")
    draft_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    detail = models.TextField(blank=True)

    class Meta:
        db_table = "jobs_auditevent"  # its table from when the jobs app held it
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.detail}"
