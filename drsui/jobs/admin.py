"""Read-only views of submissions for admins (the dashboard is for ops), and the approval
policy ops keep."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from drsui.audit.admin import ReadOnlyAdmin

from .models import CONDITIONS, Approval, ApprovalRule, Submission


class ApprovalInline(admin.TabularInline):
    model = Approval
    extra = 0
    fields = ["approver", "decision", "comment", "void", "at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "name", "state", "drs_status", "drs_job_id", "user", "project",
                    "created_at"]
    list_filter = ["state", "engine_type", "project"]
    search_fields = ["name", "drs_job_id"]
    list_select_related = ["user", "project"]
    inlines = [ApprovalInline]


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(admin.ModelAdmin):
    """The policy: rules in position order, the catch-all last. The catch-all cannot be
    deleted or disabled and has no conditions; its outcome (N, group, times) can change."""

    list_display = ["position", "name", "enabled", "project", "engine_type", "job_type",
                    "charging_mode", "node_type", "tag", "approvals_needed", "approver_group",
                    "expires_after_hours", "remind_after_hours"]
    list_display_links = ["name"]
    list_select_related = ["project", "approver_group"]
    fieldsets = [
        (None, {"fields": ["position", "name", "enabled"]}),
        (_("Conditions (empty: any)"), {"fields": list(CONDITIONS)}),
        (_("Outcome"), {"fields": ["approvals_needed", "approver_group",
                                   "expires_after_hours", "remind_after_hours"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.catch_all:
            return ["position", "enabled", *CONDITIONS]
        return []

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.catch_all)

    def delete_queryset(self, request, queryset):
        queryset.exclude(catch_all=True).delete()  # "delete selected" leaves the catch-all
