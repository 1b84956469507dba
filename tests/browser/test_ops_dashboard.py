"""The ops dashboard in Chromium against the live server and its sandbox."""

import re

import pytest
from browser_helpers import Wizard
from django.core.cache import cache
from playwright.sync_api import expect

from drsui.jobs.backends import wait_idle
from drsui.jobs.models import Submission
from drsui.jobs.services.submit import submission_create
from drsui.sandbox.faults import clear_faults, set_faults
from drsui.wizard.services import draft_from_body
from tests.contract.bodies import oracle_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The dashboard keeps its counts a few seconds: none from an earlier test's database."""
    cache.clear()


@pytest.fixture
def submit(sandbox_project, demo_user):
    """submit(name): a valid draft of alice's, submitted and sent."""
    clear_faults()

    def make(name):
        body = oracle_body()
        body["job"]["base_info"]["name"] = name
        draft = draft_from_body(owner=demo_user, body=body, project=sandbox_project)
        submission = submission_create(draft=draft, user=demo_user)
        assert wait_idle(timeout=30)  # sent by the pool's threads
        submission.refresh_from_db()
        return submission

    yield make
    clear_faults()


@pytest.fixture
def ops(page, live_server, sandbox_project):
    """The demo admin (superuser, in the ops group) logged in."""
    w = Wizard(page, live_server)
    w.login("admin", "admin")
    return w


def test_filter_search_open_and_retry_a_failed_submission(ops, page, submit):
    created = submit("dash-created-1")
    set_faults(error_rate=1, scope="create")
    failed = submit("dash-failed-1")
    clear_faults()
    assert failed.state == "failed"

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    table = page.locator("#submissions")
    expect(table.get_by_role("link", name="dash-created-1")).to_be_visible()
    expect(table.get_by_role("link", name="dash-failed-1")).to_be_visible()
    expect(page.locator('#status-counts [data-status="FAILED"] .count')).to_have_text("1")

    # A submission made meanwhile comes into the table by htmx's poll, without a reload.
    page.evaluate("window.notReloaded = true")
    submit("dash-live-1")
    expect(table.get_by_role("link", name="dash-live-1")).to_be_visible(timeout=8_000)
    assert page.evaluate("window.notReloaded") is True

    page.get_by_label("Status", exact=True).select_option("FAILED")  # htmx swaps the table
    expect(table.get_by_role("link", name="dash-created-1")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"status=FAILED"))
    expect(page.get_by_role("link", name="Export CSV")).to_have_attribute(
        "href", re.compile(r"^/ops/submissions\.csv\?.*status=FAILED"))
    page.get_by_label("Status", exact=True).select_option("")
    page.get_by_label("Name or DRS job id").fill(created.drs_job_id[:8])
    page.get_by_role("button", name="Filter").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.get_by_role("link", name="dash-created-1")).to_be_visible()
    page.get_by_role("link", name="Clear").click()

    table.get_by_role("link", name="dash-failed-1").click()
    expect(page.locator("#drs-error-msg")).to_contain_text("nothing was created")
    expect(page.locator("#drs-error-code")).to_have_count(0)  # DRS gave no error code
    expect(page.locator("#attempts")).to_contain_text("Sent, outcome unknown")
    expect(page.locator("#attempts")).to_contain_text("Not found at DRS by name")
    page.get_by_role("button", name="Retry").click()
    expect(page.get_by_text("Created at DRS.")).to_be_visible()
    expect(page.locator("#submission-summary")).to_contain_text(f"retry of #{failed.pk}")
    retry = Submission.objects.get(retry_of=failed)
    assert retry.state == "created"
    expect(page.locator("#submission-audit")).to_contain_text("Retried")


def test_test_connection_precheck_and_start(ops, page, submit):
    submission = submit("dash-actions-1")
    page.goto(f"{ops.url}/submissions/{submission.pk}/")
    expect(page.locator("#drs-status")).to_have_text("CONFIGURATION", timeout=8_000)

    page.get_by_role("button", name="Test connection").click()
    run = page.locator('.action-run[data-action="network"]')
    expect(run.locator(".action-state")).to_have_text("Done")
    expect(run.locator(".action-items")).to_contain_text("source")

    page.get_by_role("button", name="Precheck").click()
    precheck = page.locator('.action-run[data-action="precheck"]')
    expect(precheck.locator(".action-items tbody tr")).to_have_count(6)
    expect(precheck).to_contain_text("passed 100%")

    page.get_by_role("button", name="Start").click()
    expect(page.locator('.action-run[data-action="start"] .action-state')).to_have_text("Done")
    expect(page.locator("#drs-status")).to_have_text(
        re.compile("STARTJOBING|INCRE_TRANSFER_STARTED"), timeout=8_000)
    expect(page.locator("#status-history")).to_contain_text("CONFIGURATION")
