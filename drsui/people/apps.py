from django.apps import AppConfig
from django.core.signals import request_finished


class PeopleConfig(AppConfig):
    """A person's own choices (language, time zone), applied to every page they see."""

    name = "drsui.people"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .services import remember_at_login

        user_logged_in.connect(remember_at_login, dispatch_uid="drsui.people.remember_at_login")
        request_finished.connect(_language_of_the_request_ends,
                                 dispatch_uid="drsui.people.language_ends")


def _language_of_the_request_ends(**kwargs):
    """The language (and time zone) a request activated ends with it: what the same thread
    does next outside a request (a task, a test's next step) speaks the default, never the
    last person's."""
    from django.utils import timezone, translation

    translation.deactivate()
    timezone.deactivate()
