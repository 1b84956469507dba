from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "drsui.sandbox"

    def ready(self):
        # The sandbox answers in the language asked for with the contract's messages.
        from django.utils import translation

        from drsui.contract.i18n import use_translation

        use_translation(
            translation.gettext, translation.ngettext, translation.pgettext,
            translation.get_language,
        )
