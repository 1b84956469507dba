import pytest
from drs_helpers import PROJECT_ID, SANDBOX_CREDENTIALS, RequestLog

from drsui.drs import TOKEN_CACHE, DrsClient


@pytest.fixture(autouse=True)
def empty_token_cache():
    TOKEN_CACHE.clear()
    yield
    TOKEN_CACHE.clear()


@pytest.fixture
def sandbox_url(live_server, settings):
    """The sandbox inside the live portal; every test starts without faults or jobs."""
    settings.DRSUI_SANDBOX = {
        **settings.DRSUI_SANDBOX,
        "CONFIGURATION_DELAY_SECONDS": 0.2,
        "TOKEN_TTL_SECONDS": 3600,
    }
    return live_server.url + "/sandbox"


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
