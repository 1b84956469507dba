"""Read-only views of submissions for admins (the dashboard is for ops)."""

from django.contrib import admin

from drsui.audit.admin import ReadOnlyAdmin

from .models import Submission


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "name", "state", "drs_status", "drs_job_id", "user", "project",
                    "created_at"]
    list_filter = ["state", "engine_type", "project"]
    search_fields = ["name", "drs_job_id"]
    list_select_related = ["user", "project"]
