"""The portal's sandbox without a socket: a requests transport that hands requests for
http://testserver to Django's test client in this process, and a clock the tests move by hand.

Requests then run in the test's own database transaction (no live server thread, no
transactional database to flush), and the sandbox's delays, latency and hangs take no time:
a reply that took longer on the sandbox's clock than the request's read timeout is a
ReadTimeout, after the sandbox did the work, as a real hang past the timeout is."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.test import Client
from django.utils import translation
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

BASE_URL = "http://testserver"
SANDBOX_URL = BASE_URL + "/sandbox"


class ManualClock:
    """The sandbox's clock (drsui.sandbox.clock), and the DRS client's token clock where a test
    installs it: time moves only when told, or slept."""

    def __init__(self):
        self.start = self.current = datetime.now(UTC)  # signed requests carry the real time

    def now(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        return (self.current - self.start).total_seconds()

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


class PortalTransport(BaseAdapter):
    """Answers requests through the portal's WSGI stack in this process."""

    def __init__(self, clock: ManualClock):
        super().__init__()
        self.clock = clock
        self.portal = Client()  # builds the middleware chain once (WhiteNoise's scan: ~0.1 s)

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        headers = {name: value for name, value in request.headers.items()
                   if name.lower() not in ("content-type", "content-length")}
        content_type = request.headers.get("Content-Type", "")
        started = self.clock.now()
        # CONTENT_TYPE given as is: the test client drops it from a request without a body.
        self.portal.cookies.clear()  # a DRS client keeps no cookies
        # The portal's LocaleMiddleware activates the request's language in this thread, as if
        # it were a server's: the caller's is back once answered, as across a socket.
        with translation.override(translation.get_language()):
            answer = self.portal.generic(request.method, path, data=body,
                                         content_type=content_type, headers=headers,
                                         CONTENT_TYPE=content_type)
        took = (self.clock.now() - started).total_seconds()
        read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
        if read_timeout is not None and took > read_timeout:
            raise requests.exceptions.ReadTimeout(f"read timeout after {took:.1f} s",
                                                  request=request)
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.items())
        response._content = (b"".join(answer.streaming_content) if answer.streaming
                             else answer.content)
        response.url = request.url
        response.request = request
        response.reason = answer.reason_phrase
        response.encoding = requests.utils.get_encoding_from_headers(response.headers)
        return response

    def close(self):
        pass
