from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail, below the wizard and jobs: both record into it, it imports neither."""

    name = "drsui.audit"
