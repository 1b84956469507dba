from django.apps import AppConfig


class WizardConfig(AppConfig):
    name = "drsui.wizard"
