import pytest
from sandbox_helpers import SandboxApi


@pytest.fixture
def api(sandbox_url):
    return SandboxApi(sandbox_url)
