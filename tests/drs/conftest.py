import pytest
from drs_helpers import PROJECT_ID, SANDBOX_CREDENTIALS, RequestLog

from drsui.drs import TOKEN_CACHE, DrsClient, tokens


@pytest.fixture(autouse=True)
def empty_token_cache():
    TOKEN_CACHE.clear()
    yield
    TOKEN_CACHE.clear()


@pytest.fixture
def clock(sandbox_clock, monkeypatch):
    """The sandbox's clock, which now also measures the DRS client's token lifetimes."""
    monkeypatch.setattr(tokens, "monotonic", sandbox_clock.monotonic)
    return sandbox_clock


@pytest.fixture
def request_log():
    return RequestLog()


@pytest.fixture
def make_client(sandbox_url, request_log):
    """DrsClient factory against the sandbox; its session's exchanges go to request_log."""

    def make(**overrides) -> DrsClient:
        options = {
            "drs_endpoint": sandbox_url,
            "iam_endpoint": sandbox_url,
            "project_id": PROJECT_ID,
            "credentials": SANDBOX_CREDENTIALS,
            "connect_timeout": 2,
            "read_timeout": 5,
            **overrides,
        }
        client = DrsClient(**options)
        client.session.hooks["response"].append(request_log)
        return client

    return make
