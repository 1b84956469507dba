import time

from drsui.metrics.instruments import HTTP_DURATION, HTTP_REQUESTS, method_label


class RequestMetricsMiddleware:
    """Counts and times every request, labelled by the URL pattern's name (never the path,
    which would make a series per draft)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = request.resolver_match
        view = match.view_name if match is not None else "unmatched"
        method = method_label(request.method)
        HTTP_DURATION.labels(view=view, method=method).observe(elapsed)
        HTTP_REQUESTS.labels(view=view, method=method, status=str(response.status_code)).inc()
        return response
