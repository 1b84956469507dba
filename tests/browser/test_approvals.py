"""Approval before sending, in Chromium: the requester submits and waits, an ops user (another
person, in a browser of their own) approves with a comment, and the job reaches the sandbox."""

import pytest
from browser_helpers import Wizard, sandbox_job
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from drsui.jobs.models import Submission
from drsui.wizard.services import draft_from_body
from tests.contract.bodies import oracle_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.approval_policy]


def test_request_approval_and_the_job_at_the_sandbox(wizard, page, browser, live_server,
                                                    browser_context_args, demo_user,
                                                    sandbox_project, django_user_model):
    body = oracle_body()
    body["job"]["base_info"]["name"] = "approved-in-browser"
    draft = draft_from_body(owner=demo_user, body=body, project=sandbox_project)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/review/")
    page.get_by_role("button", name="Submit to DRS").click()
    expect(page.locator("#approval-status")).to_contain_text("Awaiting approval")
    expect(page.locator("#approval-status")).to_contain_text("0 of 1 approval")
    submission = Submission.objects.get(draft=draft)
    assert submission.state == "awaiting_approval"

    olga = django_user_model.objects.create_user("olga", password="olga-pass-1")
    olga.groups.add(Group.objects.get_or_create(name="ops")[0])
    context = browser.new_context(**browser_context_args)
    try:
        ops_page = context.new_page()
        Wizard(ops_page, live_server).enter_as(olga)
        badge = ops_page.locator("#approvals-badge")
        expect(badge).to_have_text("1")
        badge.click()
        ops_page.get_by_role("link", name="approved-in-browser").click()
        expect(ops_page.locator("#approval-review")).to_contain_text("approved-in-browser")
        ops_page.get_by_label("Comment").fill("Checked with the DBA on call.")
        ops_page.get_by_role("button", name="Approve").click()
        expect(ops_page.locator("#approval-decisions")).to_contain_text(
            "Checked with the DBA on call.")
        expect(ops_page.get_by_text("Created at DRS.")).to_be_visible(timeout=30_000)
    finally:
        context.close()

    # The requester's page moves on by its poll, without a reload.
    expect(page.get_by_text("Created at DRS.")).to_be_visible(timeout=30_000)
    job_id = page.locator("#drs-job-id").inner_text()
    job = sandbox_job(sandbox_project, job_id)
    assert job["name"] == "approved-in-browser"
