"""The HTTP sessions for DRS and IAM: every request has timeouts and the drsui user agent."""

import threading

import requests

USER_AGENT = "drsui/0.1 (+python-requests)"


class HttpSession(requests.Session):
    """A requests.Session that never sends a request without connect and read timeouts."""

    def __init__(self, *, connect_timeout: float, read_timeout: float):
        super().__init__()
        self.timeout = (connect_timeout, read_timeout)
        self.headers["User-Agent"] = USER_AGENT

    def request(self, method, url, *args, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().request(method, url, *args, **kwargs)


_THREAD = threading.local()


def thread_session(*, connect_timeout: float, read_timeout: float) -> HttpSession:
    """This thread's session with these timeouts. It is kept, so its connections to DRS and IAM
    stay open between calls (one TCP and TLS handshake per thread and host, not one per call);
    it is not shared with other threads, as requests does not promise that is safe."""
    sessions = _THREAD.__dict__.setdefault("sessions", {})
    key = (connect_timeout, read_timeout)
    if key not in sessions:
        sessions[key] = HttpSession(connect_timeout=connect_timeout, read_timeout=read_timeout)
    return sessions[key]
