"""The audit trail for admins, read-only (the ops group reads it on the dashboard)."""

from django.contrib import admin

from .models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "submission", "draft_id", "detail"]
    list_filter = ["action"]
    search_fields = ["detail", "user__username"]
    list_select_related = ["user", "submission"]
