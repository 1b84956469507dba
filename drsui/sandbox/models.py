from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class SandboxJob(models.Model):
    """A job created through the fake DRS. Its status advances lazily when read (see jobs.py)."""

    job_id = models.CharField(max_length=40, unique=True)
    project_id = models.CharField(max_length=32, db_index=True)
    name = models.CharField(max_length=64)
    body = models.JSONField(help_text=_("The submitted job object with every secret removed."))
    status = models.CharField(max_length=40)
    status_since = models.DateTimeField()
    create_time = models.DateTimeField()
    history = models.JSONField(default=list, help_text='[{"status": ..., "at": ...}, ...]')
    action_results = models.JSONField(default=dict, help_text="query_id -> {type, result}")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "project_id", Lower("name"), name="sandbox_job_name_unique_per_project"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.job_id}, {self.status})"


class SandboxFaults(models.Model):
    """The faults the sandbox injects: a single row (pk=1), shared by every worker process."""

    SCOPE_ALL = "all"
    SCOPE_CREATE = "create"
    SCOPES = [(SCOPE_ALL, _("every DRS/IAM request")), (SCOPE_CREATE, _("job creation only"))]

    latency_ms = models.PositiveIntegerField(default=0)
    error_rate = models.FloatField(default=0.0)
    hang_seconds = models.FloatField(default=0.0)
    malformed_rate = models.FloatField(default=0.0)
    drop_rate = models.FloatField(default=0.0)
    # Share of DRS requests in scope that hang_seconds delays (1: every one).
    hang_rate = models.FloatField(default=1.0)
    scope = models.CharField(max_length=10, choices=SCOPES, default=SCOPE_ALL)
    # DRS requests in scope since the faults were last set; decides which ones fail.
    requests_seen = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return "sandbox faults"

    @classmethod
    def load(cls) -> "SandboxFaults":
        """The faults row, or an unsaved no-fault one if none was ever set."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
