"""Read-only views of submissions and the audit trail for admins (the dashboard is for ops)."""

from django.contrib import admin

from .models import AuditEvent, Submission


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "name", "state", "drs_status", "drs_job_id", "user", "project",
                    "created_at"]
    list_filter = ["state", "engine_type", "project"]
    search_fields = ["name", "drs_job_id"]
    list_select_related = ["user", "project"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "submission", "draft_id", "detail"]
    list_filter = ["action"]
    search_fields = ["detail", "user__username"]
    list_select_related = ["user", "submission"]
