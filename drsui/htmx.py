"""A redirect answering an htmx request opens its page.

The browser follows a 302 itself, before htmx sees it, and htmx would swap the page it leads
to (the login page once the session has expired, the submission once another tab submitted the
draft) into the part of this page that asked. HX-Redirect makes htmx open it instead.
"""

from django_htmx.http import HttpResponseClientRedirect


def htmx_redirects(get_response):
    def middleware(request):
        response = get_response(request)
        if getattr(request, "htmx", False) and 300 <= response.status_code < 400 \
                and response.has_header("Location"):
            return HttpResponseClientRedirect(response["Location"])
        return response

    return middleware
