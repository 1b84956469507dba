from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "drsui.jobs"
