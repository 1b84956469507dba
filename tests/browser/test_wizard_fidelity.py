"""Real bodies in, the same bodies out, in a browser: Terraform's documented example is
imported, walked through with Next, and reaches the sandbox with every field it had."""

import json
from pathlib import Path

import pytest
from browser_helpers import job_fields, sandbox_job, without_secrets
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE = Path(__file__).resolve().parents[1] / "contract" / "examples" / (
    "terraform-example-as-sent.json")


def test_terraforms_example_reaches_the_sandbox_whole(wizard, sandbox_project):
    w, page = wizard, wizard.page
    body = json.loads(EXAMPLE.read_text())
    page.goto(w.url + "/drafts/import/")
    page.locator("textarea[name=body]").fill(json.dumps(body))
    page.locator("select[name=project_id]").select_option(label="Sandbox (cn-north-4)")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported: the task is complete and valid.")).to_be_visible()

    page.get_by_role("link", name="Source endpoint").first.click()
    # A cloud source's host, port and database: offered under More fields, open as they hold
    # values; Terraform's false flags are kept as they are, listed under Other fields.
    more = page.locator("#group-more")
    expect(more).to_have_attribute("open", "")
    expect(w.field("source_endpoint.0.endpoint.ip")).to_have_value("192.168.0.141")
    expect(w.field("source_endpoint.0.endpoint.db_port")).to_have_value("3306")
    expect(w.field("source_endpoint.0.endpoint.db_name")).to_have_value("user")
    w.field("source_endpoint.0.endpoint.db_name").fill("orders")
    for step in ("Target endpoint", "Network", "Billing", "Node", "Review"):
        w.next(step)
    job_id = w.submit()

    sent = without_secrets(body)["job"]
    sent["source_endpoint"][0]["endpoint"]["db_name"] = "orders"
    assert job_fields(sandbox_job(sandbox_project, job_id)) == sent
