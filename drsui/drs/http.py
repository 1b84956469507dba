"""The HTTP sessions for DRS and IAM: every request has timeouts and the drsui user agent."""

import http.cookiejar
import threading
import time

import requests

USER_AGENT = "drsui/0.1 (+python-requests)"
# Connections idle longer than this are not reused: DRS, a load balancer or a NAT may have
# dropped them, and a create sent on a dropped connection has an unknown outcome.
IDLE_SECONDS = 10


class HttpSession(requests.Session):
    """A requests.Session that never sends a request without connect and read timeouts, keeps
    no cookies (DRS and IAM work by token; a session may serve several projects) and opens
    fresh connections after IDLE_SECONDS without a call."""

    def __init__(self, *, connect_timeout: float, read_timeout: float):
        super().__init__()
        self.timeout = (connect_timeout, read_timeout)
        self.headers["User-Agent"] = USER_AGENT
        self.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        self._last_call = time.monotonic()

    def request(self, method, url, *args, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        if time.monotonic() - self._last_call > IDLE_SECONDS:
            self.close()  # the adapters drop their pooled connections and stay mounted
        try:
            return super().request(method, url, *args, **kwargs)
        finally:
            self._last_call = time.monotonic()


_THREAD = threading.local()


def thread_session(*, connect_timeout: float, read_timeout: float) -> HttpSession:
    """This thread's session with these timeouts. It is kept, so calls in quick succession
    reuse its connections to DRS and IAM (one TCP and TLS handshake per burst, not per call);
    it is not shared with other threads, as requests does not promise that is safe."""
    sessions = _THREAD.__dict__.setdefault("sessions", {})
    key = (connect_timeout, read_timeout)
    if key not in sessions:
        sessions[key] = HttpSession(connect_timeout=connect_timeout, read_timeout=read_timeout)
    return sessions[key]
