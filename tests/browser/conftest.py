import pytest
from browser_helpers import Wizard
from playwright.sync_api import expect

# A loaded machine (a CI runner, xdist's other worker) can take more than Playwright's 5 s to
# render a page; an assertion still fails, only later.
expect.set_options(timeout=10_000)


@pytest.fixture
def browser_context_args(browser_context_args):
    """English unless a test asks otherwise (the machine's locale decides nothing)."""
    return {**browser_context_args, "timezone_id": "Asia/Shanghai", "locale": "en-US",
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
