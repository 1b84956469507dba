from django import forms
from django.contrib import admin

from .models import CloudProject, Draft


class CloudProjectForm(forms.ModelForm):
    """Secrets are write-only: the form shows whether one is set, never its value."""

    iam_password = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False),
        help_text="Leave empty to keep the stored password.")
    static_token = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False),
        help_text="Optional: a token used instead of the IAM password. Leave empty to keep it.")
    clear_static_token = forms.BooleanField(required=False)

    class Meta:
        model = CloudProject
        fields = ["name", "region", "project_id", "drs_endpoint", "iam_endpoint", "iam_user",
                  "iam_domain", "language"]

    def save(self, commit=True):
        project = super().save(commit=False)
        if self.cleaned_data.get("iam_password"):
            project.set_iam_password(self.cleaned_data["iam_password"])
        if self.cleaned_data.get("static_token"):
            project.set_static_token(self.cleaned_data["static_token"])
        elif self.cleaned_data.get("clear_static_token"):
            project.set_static_token("")
        if commit:
            project.save()
        return project


@admin.register(CloudProject)
class CloudProjectAdmin(admin.ModelAdmin):
    form = CloudProjectForm
    list_display = ["name", "region", "project_id", "drs_endpoint", "has_iam_password",
                    "has_static_token"]

    @admin.display(boolean=True, description="IAM password set")
    def has_iam_password(self, obj):
        return obj.has_iam_password

    @admin.display(boolean=True, description="Static token set")
    def has_static_token(self, obj):
        return obj.has_static_token


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "project", "furthest_step", "updated_at"]
    exclude = ["secrets_encrypted"]
    readonly_fields = ["body"]
