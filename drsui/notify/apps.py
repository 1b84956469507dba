from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "drsui.notify"
    verbose_name = _("Notifications")

    def ready(self):
        from drsui.jobs.signals import submission_transitioned

        from .services import outbox_record

        submission_transitioned.connect(outbox_record, dispatch_uid="drsui.notify.outbox")
