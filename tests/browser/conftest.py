import pytest
from browser_helpers import Wizard


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "timezone_id": "Asia/Shanghai",
            "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def wizard(page, live_server, demo_user, sandbox_project):
    w = Wizard(page, live_server)
    w.enter_as(demo_user)
    return w


@pytest.fixture
def sandbox_project(live_sandbox_project):
    """The browser's portal runs in the live server: so does its sandbox."""
    return live_sandbox_project
