from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "drsui.notify"
    verbose_name = _("Notifications")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from drsui.jobs.signals import submission_transitioned

        from .models import Webhook
        from .services import outbox_record, webhooks_changed

        submission_transitioned.connect(outbox_record, dispatch_uid="drsui.notify.outbox")
        for changed in (post_save, post_delete):
            changed.connect(webhooks_changed, sender=Webhook, dispatch_uid="drsui.notify.webhooks")
