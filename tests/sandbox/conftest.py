import pytest
from sandbox_helpers import SandboxApi


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
def api(sandbox_url):
    return SandboxApi(sandbox_url)
