from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import PreferenceForm
from .models import Preference


def _safe_next(request) -> str:
    """Back to the page the switch was made on, when it is one of ours."""
    for candidate in (request.POST.get("next"), request.headers.get("referer")):
        if candidate and url_has_allowed_host_and_scheme(
                candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return candidate
    return reverse("home")


@require_POST
def set_language(request):
    """The top bar's switcher: works without JavaScript (a form and a button)."""
    response = redirect(_safe_next(request))
    language = services.supported_language(request.POST.get("language", ""))
    if language is None:
        messages.error(request, _("Choose a language from the list."))
        return response
    services.choose_language(request, language)
    # The device keeps the choice too: the login page after a log-out speaks it.
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language,
                        **services.language_cookie_kwargs())
    return response


@login_required
def preferences(request):
    browser_zone = services.browser_time_zone(request)
    stored = Preference.objects.filter(user=request.user).first()
    initial = {"language": stored.language, "time_zone": stored.time_zone} if stored else {}
    form = PreferenceForm(request.POST or None, initial=initial, browser_zone=browser_zone)
    if request.method == "POST" and form.is_valid():
        services.choose_preferences(request, **form.cleaned_data)
        response = redirect("preferences")
        if form.cleaned_data["language"]:
            translation.activate(form.cleaned_data["language"])  # the message below in it too
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"],
                                **services.language_cookie_kwargs())
        else:
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME,
                                   path=settings.LANGUAGE_COOKIE_PATH,
                                   domain=settings.LANGUAGE_COOKIE_DOMAIN)
        messages.success(request, _("Preferences saved."))
        return response
    return render(request, "people/preferences.html", {"form": form})
