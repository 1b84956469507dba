from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from drsui import crypto
from drsui.fields import OrderedJSONField

PROJECT_ID_VALIDATOR = RegexValidator(r"^[0-9a-f]{32}$", "A project id is 32 hex characters.")


class CloudProject(models.Model):
    """A Huawei Cloud project that tasks are created in, with the credentials to reach DRS."""

    name = models.CharField(max_length=64, unique=True)
    region = models.CharField(max_length=64, help_text="e.g. cn-north-4")
    project_id = models.CharField(max_length=32, validators=[PROJECT_ID_VALIDATOR])
    drs_endpoint = models.URLField(help_text="e.g. https://drs.cn-north-4.myhuaweicloud.com")
    iam_endpoint = models.URLField(help_text="e.g. https://iam.cn-north-4.myhuaweicloud.com")
    iam_user = models.CharField(max_length=128, blank=True)
    iam_domain = models.CharField(max_length=128, blank=True)
    # Fernet ciphertext; see drsui.crypto. Set through set_iam_password / set_static_token.
    iam_password_encrypted = models.TextField(blank=True, editable=False)
    static_token_encrypted = models.TextField(blank=True, editable=False)
    language = models.CharField(
        max_length=8, default="en-us", choices=[("en-us", "en-us"), ("zh-cn", "zh-cn")]
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.region})"

    def set_iam_password(self, password: str):
        self.iam_password_encrypted = crypto.encrypt_text(password) if password else ""

    def set_static_token(self, token: str):
        self.static_token_encrypted = crypto.encrypt_text(token) if token else ""

    @property
    def has_iam_password(self) -> bool:
        return bool(self.iam_password_encrypted)

    @property
    def has_static_token(self) -> bool:
        return bool(self.static_token_encrypted)

    def iam_password(self) -> str:
        return crypto.decrypt_text(self.iam_password_encrypted) if self.has_iam_password else ""

    def static_token(self) -> str:
        return crypto.decrypt_text(self.static_token_encrypted) if self.has_static_token else ""


class Draft(models.Model):
    """A create-task body under construction: `body` is `{"job": {...}}` without secrets."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    project = models.ForeignKey(CloudProject, on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(max_length=64, blank=True, db_index=True)
    body = OrderedJSONField(default=dict)
    # {path: value} of db_password / ssl_cert_key / ssl_cert_password, Fernet-encrypted JSON.
    secrets_encrypted = models.TextField(blank=True, default="")
    furthest_step = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["owner", "-updated_at"])]

    def __str__(self):
        return self.name or f"draft {self.pk}"

    @property
    def job(self) -> dict:
        return self.body.get("job", {}) if isinstance(self.body, dict) else {}

    def secrets(self) -> dict:
        return crypto.decrypt_json(self.secrets_encrypted)

    def set_secrets(self, secrets: dict):
        self.secrets_encrypted = crypto.encrypt_json(secrets) if secrets else ""
