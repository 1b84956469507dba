from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .hosts import url_refusal
from .models import EVENT_CHOICES, OutboxMessage, Webhook
from .services import messages_retry_now


class WebhookForm(forms.ModelForm):
    """The URL and the secret are write-only: the form shows the URL's host only (a robot's
    URL carries its access token) and whether a secret is set, never what it is."""

    url = forms.URLField(
        label=gettext_lazy("URL"), required=False, max_length=500, assume_scheme="https",
        help_text=gettext_lazy("Kept encrypted, and shown as its host only: a robot's URL "
                               "carries its access token."))

    secret = forms.CharField(
        label=gettext_lazy("Secret"), required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Signs every post (X-Drsui-Signature), and the robot's own "
                               "signature for DingTalk and Feishu."))
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"), choices=EVENT_CHOICES,
        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Webhook
        fields = ["project", "name", "url", "format", "events", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        state = _("Set — leave empty to keep it.") if self.instance.has_secret else _("Not set.")
        self.fields["secret"].help_text = f"{state} {self.fields['secret'].help_text}"
        if self.instance.url_encrypted:
            kept = _("Set: %(url)s — leave empty to keep it.") % {"url": self.instance.url_shown}
            self.fields["url"].help_text = f"{kept} {self.fields['url'].help_text}"

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url:
            if not self.instance.url_encrypted:
                raise forms.ValidationError(_("Enter the URL to post to."))
            return url
        refusal = url_refusal(url)
        if refusal:
            raise forms.ValidationError(refusal)
        return url

    def clean_secret(self):
        secret = self.cleaned_data["secret"]
        if not secret and not self.instance.has_secret:
            raise forms.ValidationError(_("Enter a secret: every post is signed with it."))
        return secret

    def save(self, commit=True):
        webhook = super().save(commit=False)
        if self.cleaned_data.get("url"):
            webhook.set_url(self.cleaned_data["url"])
        if self.cleaned_data.get("secret"):
            webhook.set_secret(self.cleaned_data["secret"])
        if commit:
            webhook.save()
        return webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["name", "project", "format", "url_shown", "enabled"]
    list_filter = ["project", "format", "enabled"]


class OutboxStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("pending", _("Pending")), ("delivered", _("Delivered")),
                ("failed", _("Given up"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(delivered_at__isnull=True, failed_at__isnull=True)
        if self.value() == "delivered":
            return queryset.filter(delivered_at__isnull=False)
        if self.value() == "failed":
            return queryset.filter(failed_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: what was posted, what waits, what was given up and why."""

    list_display = ["created_at", "webhook", "event", "submission_id", "state_shown",
                    "attempts", "next_attempt_at", "delivered_at", "last_error"]
    list_filter = [OutboxStateFilter, "event", "webhook"]
    list_select_related = ["webhook"]
    actions = ["retry_now"]

    @admin.display(description=gettext_lazy("state"))
    def state_shown(self, obj):
        return {"pending": _("Pending"), "delivered": _("Delivered"),
                "failed": _("Given up")}[obj.state]

    @admin.action(description=gettext_lazy("Retry now"))
    def retry_now(self, request, queryset):
        count = messages_retry_now(queryset)
        self.message_user(request, ngettext(
            "%(count)s message queued to be posted again.",
            "%(count)s messages queued to be posted again.", count) % {"count": count},
            messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
