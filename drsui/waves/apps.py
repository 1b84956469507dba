from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WavesConfig(AppConfig):
    name = "drsui.waves"
    verbose_name = _("Migration waves")
