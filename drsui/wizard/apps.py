from django.apps import AppConfig


class WizardConfig(AppConfig):
    name = "drsui.wizard"

    def ready(self):
        # The contract (pure Python) says its messages in the active language.
        from django.utils import translation

        from drsui.contract.i18n import use_translation

        use_translation(
            translation.gettext, translation.ngettext, translation.pgettext,
            translation.get_language,
        )
