from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from drsui import crypto
from drsui.wizard.models import CloudProject, Draft


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret (drafts' passwords and certificates, projects' IAM "
        "passwords, tokens and secret keys; webhooks' URLs and secrets) with the newest key "
        "of DRSUI_SECRET_KEYS. "
        "Put the new key first, "
        "keep the old ones, run this, then remove the old keys."
    )

    def handle(self, *args, **options):
        count, unreadable = 0, []
        with transaction.atomic():
            drafts = Draft.objects.exclude(secrets_encrypted="").only("pk", "secrets_encrypted")
            for draft in drafts:
                try:
                    rotated = crypto.rotate(draft.secrets_encrypted)
                except crypto.SecretUnreadable:
                    unreadable.append(f"draft {draft.pk}")
                    continue
                Draft.objects.filter(pk=draft.pk).update(secrets_encrypted=rotated)
                count += 1
            for project in CloudProject.objects.all():
                for field in ("iam_password_encrypted", "static_token_encrypted",
                              "secret_key_encrypted"):
                    if getattr(project, field):
                        try:
                            setattr(project, field, crypto.rotate(getattr(project, field)))
                        except crypto.SecretUnreadable:
                            unreadable.append(f"project {project.name}")
                            continue
                        count += 1
                project.save()
            count += self._rotate_webhooks(unreadable)
        self.stdout.write(f"Re-encrypted {count} secret(s) with the newest key.")
        if unreadable:
            self.stdout.write(
                f"Left as they are, as no configured key opens them ({len(unreadable)}): "
                f"{', '.join(unreadable)}. Add the key they were stored with and run this "
                "again, or have them typed again.")

    @staticmethod
    def _rotate_webhooks(unreadable: list) -> int:
        """The notifications' webhooks (by name: the wizard does not import notify)."""
        if not apps.is_installed("drsui.notify"):
            return 0
        count = 0
        for webhook in apps.get_model("notify", "Webhook").objects.all():
            try:
                webhook.url_encrypted = crypto.rotate(webhook.url_encrypted)
                if webhook.secret_encrypted:
                    webhook.secret_encrypted = crypto.rotate(webhook.secret_encrypted)
            except crypto.SecretUnreadable:
                unreadable.append(f"webhook {webhook.name}")
                continue
            webhook.save(update_fields=["url_encrypted", "secret_encrypted"])
            count += 1 + bool(webhook.secret_encrypted)
        return count
