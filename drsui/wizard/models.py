from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from drsui import crypto
from drsui.fields import OrderedJSONField

from .steps import STEPS, step_get, step_index

PROJECT_ID_VALIDATOR = RegexValidator(r"^[0-9a-f]{32}$", _("A project id is 32 hex characters."))


class CloudProject(models.Model):
    """A Huawei Cloud project that tasks are created in, with the credentials to reach DRS."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    region = models.CharField(_("region"), max_length=64, help_text=_("e.g. cn-north-4"))
    project_id = models.CharField(_("project id"), max_length=32,
                                  validators=[PROJECT_ID_VALIDATOR])
    drs_endpoint = models.URLField(
        _("DRS endpoint"), help_text=_("e.g. https://drs.cn-north-4.myhuaweicloud.com"))
    iam_endpoint = models.URLField(
        _("IAM endpoint"), help_text=_("e.g. https://iam.cn-north-4.myhuaweicloud.com"))
    iam_user = models.CharField(_("IAM user"), max_length=128, blank=True)
    iam_domain = models.CharField(_("IAM domain"), max_length=128, blank=True)
    # An access key pair signs each request instead (SDK-HMAC-SHA256), as the SDK and Terraform do.
    access_key = models.CharField(
        _("access key (AK)"), max_length=128, blank=True,
        help_text=_("The access key ID, from My Credentials › Access Keys in the console."))
    # Fernet ciphertext; see drsui.crypto. Set through set_iam_password / set_static_token /
    # set_secret_key.
    iam_password_encrypted = models.TextField(blank=True, editable=False)
    static_token_encrypted = models.TextField(blank=True, editable=False)
    secret_key_encrypted = models.TextField(blank=True, editable=False)
    # X-Language of the requests to DRS: its values are the API's, shown as they are.
    language = models.CharField(
        _("language"), max_length=8, default="en-us",
        choices=[("en-us", "en-us"), ("zh-cn", "zh-cn")]
    )
    # The teams (groups) whose members may create tasks in this project; ops use every project.
    groups = models.ManyToManyField(
        "auth.Group", blank=True, related_name="cloud_projects", verbose_name=_("teams"),
        help_text=_("Members of these groups see and use this project; the ops group uses "
                    "every project."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("cloud project")
        verbose_name_plural = _("cloud projects")

    def __str__(self):
        return f"{self.name} ({self.region})"

    def set_iam_password(self, password: str):
        self.iam_password_encrypted = crypto.encrypt_text(password) if password else ""

    def set_static_token(self, token: str):
        self.static_token_encrypted = crypto.encrypt_text(token) if token else ""

    def set_secret_key(self, secret_key: str):
        self.secret_key_encrypted = crypto.encrypt_text(secret_key) if secret_key else ""

    @property
    def has_iam_password(self) -> bool:
        return bool(self.iam_password_encrypted)

    @property
    def has_static_token(self) -> bool:
        return bool(self.static_token_encrypted)

    @property
    def has_secret_key(self) -> bool:
        return bool(self.secret_key_encrypted)

    @property
    def has_access_key_pair(self) -> bool:
        return bool(self.access_key) and self.has_secret_key

    def iam_password(self) -> str:
        return crypto.decrypt_text(self.iam_password_encrypted) if self.has_iam_password else ""

    def static_token(self) -> str:
        return crypto.decrypt_text(self.static_token_encrypted) if self.has_static_token else ""

    def secret_key(self) -> str:
        return crypto.decrypt_text(self.secret_key_encrypted) if self.has_secret_key else ""


class Draft(models.Model):
    """A create-task body under construction: `body` is `{"job": {...}}` without secrets."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts",
        verbose_name=_("owner"))
    project = models.ForeignKey(CloudProject, on_delete=models.PROTECT, null=True, blank=True,
                                verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=64, blank=True, db_index=True)
    body = OrderedJSONField(_("body"), default=dict)
    # {path: value} of db_password / ssl_cert_key / ssl_cert_password, Fernet-encrypted JSON.
    secrets_encrypted = models.TextField(blank=True, default="")
    # The slug of the furthest step opened (Next opens the one after it): a slug, so adding or
    # reordering steps moves no draft. One no longer in STEPS counts as the first.
    furthest_step = models.CharField(_("furthest step"), max_length=16, default=STEPS[0].slug)
    version = models.PositiveIntegerField(_("version"), default=1)
    # A new task's key (views.draft_new): its saves before the draft's address is known (a
    # second click, a retried or a last autosave) go to this draft, not to a new one.
    new_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    # The browser tab (static/drsui.js, `_tab`) whose saves made versions tab_saves_from+1 up
    # to `version`: a save from that tab carrying any of these versions is not another tab's
    # (services.draft_save_step). "" when the last change was no tab's.
    saved_by_tab = models.CharField(max_length=64, blank=True, default="", editable=False)
    tab_saves_from = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        indexes = [models.Index(fields=["owner", "-updated_at"])]
        constraints = [models.UniqueConstraint(fields=["owner", "new_key"],
                                               name="draft_new_key_unique_per_owner")]

    def __str__(self):
        return self.name or _("draft %(id)s") % {"id": self.pk}

    @property
    def job(self) -> dict:
        return self.body.get("job", {}) if isinstance(self.body, dict) else {}

    @property
    def furthest_index(self) -> int:
        """Where the furthest step opened stands in STEPS today."""
        return step_index(self.furthest_step) if step_get(self.furthest_step) else 0

    def secrets(self) -> dict:
        """{path: value}; {} when no configured key opens them (DRSUI_SECRET_KEYS changed or
        lost: see secrets_unreadable), as they must then be typed again."""
        return dict(self._opened()[0])

    @property
    def secrets_unreadable(self) -> bool:
        return self._opened()[1]

    def _opened(self) -> tuple[dict, bool]:
        """The secrets and whether they could not be read: decrypted once per ciphertext."""
        if getattr(self, "_opened_from", None) != self.secrets_encrypted:
            try:
                self._opened_as = crypto.decrypt_json(self.secrets_encrypted), False
            except crypto.SecretUnreadable:
                self._opened_as = {}, True
            self._opened_from = self.secrets_encrypted
        return self._opened_as

    def set_secrets(self, secrets: dict):
        self.secrets_encrypted = crypto.encrypt_json(secrets) if secrets else ""
