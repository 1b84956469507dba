"""Logging in: the client's address (behind a TLS proxy, from the header it sets) and the page
shown while a username is locked out from an address (django-axes)."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy, ngettext


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Your username and password did not match. Please try again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse_lazy("login")
        self.helper.layout = Layout(
            "username", "password",
            HTML('<input type="hidden" name="next" value="{{ next }}">'),
            StrictButton(gettext_lazy("Log in"), type="submit", css_class="btn-primary"),
        )


def client_ip(request) -> str:
    """REMOTE_ADDR; behind the TLS proxy (DRSUI_BEHIND_TLS_PROXY) the right-most address of
    X-Forwarded-For, the one the proxy appended: anything left of it the client may have sent."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def login_locked_out(request, original_response=None, credentials=None):
    """The login page again, saying why and for how long (429), with the username kept."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    data = {"username": (credentials or {}).get("username") or request.POST.get("username", "")}
    context = {
        "form": LoginForm(request, initial=data),
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "locked_out": ngettext(
            "Too many failed log-ins for this username from your address: log-in is locked "
            "for %(minutes)s minute. Ask an administrator if you have forgotten your password.",
            "Too many failed log-ins for this username from your address: log-in is locked "
            "for %(minutes)s minutes. Ask an administrator if you have forgotten your password.",
            minutes) % {"minutes": minutes},
    }
    return render(request, "registration/login.html", context, status=429)
