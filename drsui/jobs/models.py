from django.conf import settings
from django.db import models
from django.db.models import Q

from drsui.wizard.models import CloudProject, Draft


class Submission(models.Model):
    """One request to create a DRS job from a draft, with every attempt to send it."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        CREATED = "created", "Created at DRS"
        FAILED = "failed", "Failed"
        UNKNOWN = "unknown", "Outcome unknown"

    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="submissions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    project = models.ForeignKey(CloudProject, on_delete=models.PROTECT)
    name = models.CharField(max_length=64, db_index=True)
    engine_type = models.CharField(max_length=40, blank=True)
    body = models.JSONField(help_text="The body as sent, each secret replaced by ******.")
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    # Held by every submission but a failed one: one DRS job per draft at most.
    active = models.BooleanField(default=True)
    drs_job_id = models.CharField(max_length=64, blank=True, db_index=True)
    drs_status = models.CharField(max_length=40, blank=True)
    error_code = models.CharField(max_length=32, blank=True)
    error_msg = models.TextField(blank=True)
    error_path = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft"], condition=Q(active=True), name="one_active_submission_per_draft"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.state})"


class Attempt(models.Model):
    class Outcome(models.TextChoices):
        CREATED = "created", "Created"
        REFUSED = "refused", "Refused by DRS"
        NOT_SENT = "not_sent", "Not sent (DRS unreachable)"
        UNKNOWN = "unknown", "Sent, outcome unknown"
        FOUND = "found", "Found at DRS by name"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self):
        return f"attempt {self.pk}: {self.outcome or 'in progress'}"


class StatusEvent(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.status
