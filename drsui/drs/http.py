"""The one HTTP session for DRS and IAM: every request has timeouts and the drsui user agent."""

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
