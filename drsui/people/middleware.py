from django.utils import timezone, translation

from .services import person_language, person_time_zone


def preferences_middleware(get_response):
    """After LocaleMiddleware: the language a logged-in person chose overrides the browser's;
    their time zone (chosen, else the browser's) is active for the request."""

    def middleware(request):
        language = person_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        zone = person_time_zone(request)
        if zone:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        return get_response(request)

    return middleware
