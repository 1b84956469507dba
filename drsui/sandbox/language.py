"""The sandbox answers in the language the request asks for, as DRS does: `X-Language: zh-cn`
is Chinese, `en-us` (or none) English. The error codes are the same in both."""

from functools import wraps

from django.utils import translation

# X-Language -> the portal's language code (its LANGUAGES).
X_LANGUAGES = {"zh-cn": "zh-hans", "en-us": "en"}


def asked_language(request) -> str:
    """The language a DRS or IAM request asks for: English unless X-Language names Chinese."""
    return X_LANGUAGES.get(request.headers.get("X-Language", "").strip().lower(), "en")


def answers_in_asked_language(view):
    """Run the view in the language of the request's X-Language (not the browser's: DRS is
    called by programs), the one active before coming back after it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override(asked_language(request)):
            response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Language", asked_language(request))
        return response

    return wrapped
