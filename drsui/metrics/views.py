import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from drsui.metrics.instruments import exposition
from drsui.metrics.queue import queue_exposition

_FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip")


@require_GET
def metrics(request):
    """Prometheus' scrape: to a client on this machine (not relayed by a proxy), or to one
    sending `Authorization: Bearer <DRSUI_METRICS_TOKEN>`."""
    token = settings.DRSUI_METRICS_TOKEN
    if not (_bearer_matches(request, token) or _from_loopback(request)):
        if token:
            response = HttpResponse("A bearer token is required.\n", status=401,
                                    content_type="text/plain")
            response["WWW-Authenticate"] = 'Bearer realm="drsui metrics"'
            return response
        return HttpResponse("Metrics are served to loopback clients only.\n", status=403,
                            content_type="text/plain")
    return HttpResponse(exposition() + queue_exposition(), content_type=CONTENT_TYPE_LATEST)


def _bearer_matches(request, token: str) -> bool:
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def _from_loopback(request) -> bool:
    if any(header in request.headers for header in _FORWARDING_HEADERS):
        return False
    try:
        ip = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_loopback
