"""Choosing a language and a time zone, and keeping the choice in the session.

The choice is stored on the person's Preference row and copied into the session at log-in and
whenever it changes, so a request reads it from the session it loads anyway (no query of its
own). Before any choice, the browser decides: Accept-Language (Django's LocaleMiddleware) and
the time zone its script reports in the TIME_ZONE_COOKIE."""

from functools import lru_cache
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.utils import translation

from .models import Preference

SESSION_LANGUAGE = "drsui_language"
SESSION_TIME_ZONE = "drsui_time_zone"
TIME_ZONE_COOKIE = "drsui_tz"  # set by static/people.js from the browser's Intl API


def supported_language(code: str) -> str | None:
    """The language of LANGUAGES that `code` names ("zh-cn" → "zh-hans"), or None."""
    try:
        return translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


@lru_cache(maxsize=512)
def zone_named(name: str) -> ZoneInfo | None:
    """The IANA time zone `name` ("Asia/Shanghai"), or None for anything else."""
    if not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(name for name in available_timezones() if zone_named(name)))


def browser_time_zone(request) -> ZoneInfo | None:
    return zone_named(unquote(request.COOKIES.get(TIME_ZONE_COOKIE, "")))


def person_time_zone(request) -> ZoneInfo | None:
    """The zone the person chose, else the browser's; None: settings.TIME_ZONE."""
    chosen = request.session.get(SESSION_TIME_ZONE)
    return (chosen and zone_named(chosen)) or browser_time_zone(request)


def person_language(request) -> str | None:
    """The language the person chose (kept in the session), or None: as the browser says
    (also for one no longer offered)."""
    chosen = request.session.get(SESSION_LANGUAGE)
    return chosen and supported_language(chosen)


def _keep_in_session(session, key, value):
    if value:
        session[key] = value
    else:
        session.pop(key, None)


def choose_language(request, language: str):
    """Switch the person's language: on their row when logged in, and in the session."""
    if request.user.is_authenticated:
        Preference.objects.update_or_create(user=request.user, defaults={"language": language})
        _keep_in_session(request.session, SESSION_LANGUAGE, language)


def choose_preferences(request, *, language: str, time_zone: str):
    """Store the preferences page's choices ("" = as the browser says)."""
    Preference.objects.update_or_create(
        user=request.user, defaults={"language": language, "time_zone": time_zone})
    _keep_in_session(request.session, SESSION_LANGUAGE, language)
    _keep_in_session(request.session, SESSION_TIME_ZONE, time_zone)


def remember_at_login(sender, request, user, **kwargs):
    """user_logged_in: the person's stored choices go into the new session, on any device."""
    if request is None or not hasattr(request, "session"):
        return
    preference = Preference.objects.filter(user=user).first()
    _keep_in_session(request.session, SESSION_LANGUAGE, preference and preference.language)
    _keep_in_session(request.session, SESSION_TIME_ZONE, preference and preference.time_zone)


def language_cookie_kwargs() -> dict:
    """The attributes Django's own set_language view gives the language cookie."""
    return {
        "max_age": settings.LANGUAGE_COOKIE_AGE,
        "path": settings.LANGUAGE_COOKIE_PATH,
        "domain": settings.LANGUAGE_COOKIE_DOMAIN,
        "secure": settings.LANGUAGE_COOKIE_SECURE,
        "httponly": settings.LANGUAGE_COOKIE_HTTPONLY,
        "samesite": settings.LANGUAGE_COOKIE_SAMESITE,
    }
