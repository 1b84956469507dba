from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from drsui import crypto
from drsui.fields import OrderedJSONField
from drsui.wizard.models import CloudProject, Draft


class Wave(models.Model):
    """Many tasks from one template: the template's job copied when the wave starts, the
    paths that vary, and one row (a draft) per task."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="waves", verbose_name=_("owner"))
    project = models.ForeignKey(CloudProject, on_delete=models.PROTECT, null=True, blank=True,
                                verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=64)
    template = models.ForeignKey(Draft, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("template"))
    # The template's job without secrets, and its secrets (Fernet-encrypted JSON), as they
    # were when the wave started: a new row starts from them.
    template_job = OrderedJSONField(default=dict)
    template_secrets_encrypted = models.TextField(blank=True, default="")
    # The varying paths (relative to `job`), in column order; base_info.name always first.
    paths = models.JSONField(default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")

    def __str__(self):
        return self.name

    def template_secrets(self) -> dict:
        try:
            return crypto.decrypt_json(self.template_secrets_encrypted)
        except crypto.SecretUnreadable:
            return {}

    def set_template_secrets(self, secrets: dict):
        self.template_secrets_encrypted = crypto.encrypt_json(secrets) if secrets else ""


class WaveRow(models.Model):
    """One task of a wave: its draft holds the body (the template with the row's values) and
    the secrets, so it can also be opened in the wizard."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="rows")
    draft = models.OneToOneField(Draft, on_delete=models.CASCADE, related_name="wave_row")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["wave", "position"]
        constraints = [models.UniqueConstraint(fields=["wave", "position"],
                                               name="wave_row_position_unique")]

    def __str__(self):
        return f"{self.wave} #{self.position}"
