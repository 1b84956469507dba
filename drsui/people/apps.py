from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """A person's own choices (language, time zone), applied to every page they see."""

    name = "drsui.people"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .services import remember_at_login

        user_logged_in.connect(remember_at_login, dispatch_uid="drsui.people.remember_at_login")
