from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import CloudProject, Draft


class CloudProjectForm(forms.ModelForm):
    """Secrets are write-only: the form shows whether one is set, never its value."""

    iam_password = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False),
        label=gettext_lazy("IAM password"), help_text=gettext_lazy("The IAM user's password."))
    static_token = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False),
        label=gettext_lazy("Static token"),
        help_text=gettext_lazy("Optional: a token used instead of the IAM password."))
    clear_static_token = forms.BooleanField(label=gettext_lazy("Clear static token"),
                                            required=False)
    secret_key = forms.CharField(
        label=gettext_lazy("Secret key (SK)"), required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Goes with the access key."))
    clear_access_key = forms.BooleanField(
        label=gettext_lazy("Remove the AK/SK pair"), required=False)

    class Meta:
        model = CloudProject
        fields = ["name", "region", "project_id", "drs_endpoint", "iam_endpoint", "iam_user",
                  "iam_domain", "access_key", "language", "groups"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance
        for name, is_set in (("iam_password", stored.has_iam_password),
                             ("static_token", stored.has_static_token),
                             ("secret_key", stored.has_secret_key)):
            state = _("Set — leave empty to keep it.") if is_set else _("Not set.")
            self.fields[name].help_text = f"{state} {self.fields[name].help_text}"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        clearing = data.get("clear_access_key")
        access_key = "" if clearing else data.get("access_key", "")
        has_secret = not clearing and bool(data.get("secret_key") or self.instance.has_secret_key)
        if access_key and not has_secret:
            self.add_error("secret_key", _("Enter the secret key (SK) of this access key."))
        elif data.get("secret_key") and not access_key:
            self.add_error("access_key",
                           _("Enter the access key (AK) this secret key belongs to."))
        has_token = bool(data.get("static_token")) or (
            self.instance.has_static_token and not data.get("clear_static_token"))
        has_user = bool(data.get("iam_user") and data.get("iam_domain") and (
            data.get("iam_password") or self.instance.has_iam_password))
        if not (access_key or has_token or has_user):
            raise forms.ValidationError(_(
                "Give the project a way to authenticate: an access key pair (AK/SK), a token, "
                "or an IAM user with its password and domain."))
        return data

    def save(self, commit=True):
        project = super().save(commit=False)
        if self.cleaned_data.get("iam_password"):
            project.set_iam_password(self.cleaned_data["iam_password"])
        if self.cleaned_data.get("static_token"):
            project.set_static_token(self.cleaned_data["static_token"])
        elif self.cleaned_data.get("clear_static_token"):
            project.set_static_token("")
        if self.cleaned_data.get("clear_access_key"):
            project.access_key = ""
            project.set_secret_key("")
        elif self.cleaned_data.get("secret_key"):
            project.set_secret_key(self.cleaned_data["secret_key"])
        if commit:
            project.save()
        return project


@admin.register(CloudProject)
class CloudProjectAdmin(admin.ModelAdmin):
    form = CloudProjectForm
    list_display = ["name", "region", "project_id", "drs_endpoint", "authentication", "teams"]
    list_filter = ["groups"]
    filter_horizontal = ["groups"]
    fieldsets = [
        (None, {"fields": ["name", "region", "project_id", "drs_endpoint", "iam_endpoint",
                           "language"]}),
        (gettext_lazy("Who may use it"), {
            "fields": ["groups"],
            "description": gettext_lazy(
                "Members of these teams (groups) see this project in the wizard, import and "
                "clone, and submit to it; the ops group uses every project.")}),
        (gettext_lazy("Access key pair"), {
            "fields": ["access_key", "secret_key", "clear_access_key"],
            "description": gettext_lazy("Used first when set: requests are signed, as the SDK "
                                        "and Terraform sign them.")}),
        (gettext_lazy("Token"), {
            "fields": ["static_token", "clear_static_token"],
            "description": gettext_lazy("Used when no access key pair is set.")}),
        (gettext_lazy("IAM user"), {
            "fields": ["iam_user", "iam_domain", "iam_password"],
            "description": gettext_lazy("Used when neither of the above is set.")}),
    ]

    @admin.display(description=gettext_lazy("Authentication"))
    def authentication(self, obj):
        if obj.has_access_key_pair:
            return _("AK/SK (set)")
        if obj.has_static_token:
            return _("token (set)")
        if obj.has_iam_password:
            return _("IAM user %(user)s (password set)") % {"user": obj.iam_user}
        return _("none")

    @admin.display(description=gettext_lazy("teams"))
    def teams(self, obj):
        return ", ".join(g.name for g in obj.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")


admin.site.unregister(Group)


@admin.register(Group)
class TeamAdmin(GroupAdmin):
    """A group is a team: its page lists the cloud projects granted to it (granted on each
    project's page)."""

    readonly_fields = ["projects_granted"]

    @admin.display(description=gettext_lazy("cloud projects"))
    def projects_granted(self, obj):
        projects = obj.cloud_projects.all() if obj.pk else ()
        return format_html_join(", ", '<a href="{}">{}</a>', (
            (reverse("admin:wizard_cloudproject_change", args=[p.pk]), p.name)
            for p in projects)) or _("none")


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "project", "furthest_step", "updated_at"]
    exclude = ["secrets_encrypted"]
    readonly_fields = ["body"]
