"""Where webhooks may post: settings.DRSUI_WEBHOOK_HOSTS (host names, or host:port for one
port only); HTTPS unless the host is loopback when DRSUI_WEBHOOK_HTTPS_ONLY (production).
Checked when a webhook is saved and again at each post (the settings may have changed)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def _allowed(host: str, port: int | None) -> bool:
    for entry in settings.DRSUI_WEBHOOK_HOSTS:
        parts = urlsplit(f"//{entry.lower()}")
        if parts.hostname == host and (parts.port is None or parts.port == port):
            return True
    return False


def url_refusal(url: str) -> str | None:
    """Why the portal may not post to `url` (a sentence), or None when it may."""
    try:
        parts = urlsplit(url)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return _("This is not a valid URL.")
    if parts.scheme not in ("http", "https") or not host:
        return _("Enter an http:// or https:// URL.")
    if not _allowed(host, port or (443 if parts.scheme == "https" else 80)):
        return _("The host %(host)s is not on the portal's list of webhook hosts "
                 "(DRSUI_WEBHOOK_HOSTS).") % {"host": host}
    if settings.DRSUI_WEBHOOK_HTTPS_ONLY and parts.scheme != "https" and host not in LOOPBACK:
        return _("Use an https:// URL: notifications leave this network.")
    return None
