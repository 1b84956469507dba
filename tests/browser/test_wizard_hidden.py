"""Nothing hidden reaches DRS: a copy of the API page's example task (Oracle → GaussDB) turned
into MySQL → MySQL on Base info loses the Oracle service name at once, says so, and the task
the sandbox stores has no db_name."""

import json

import pytest
from browser_helpers import sandbox_job
from playwright.sync_api import expect

from tests.contract.bodies import example_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_copy_turned_into_mysql_sends_no_service_name(wizard, sandbox_project):
    w, page = wizard, wizard.page
    page.goto(w.url + "/drafts/import/")
    page.locator("textarea[name=body]").fill(json.dumps(example_body()))
    page.locator("select[name=project_id]").select_option(label="Sandbox (cn-north-4)")
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#step-title")).to_be_visible()
    page.goto(w.url + "/drafts/")
    page.locator("summary", has_text="More").first.click()  # the row's menu
    page.get_by_role("button", name="Create a similar task").first.click()

    # A copy has no passwords: it opens where the first one is missing.
    expect(page.locator("#step-title")).to_have_text("Source endpoint")
    expect(w.field("source_endpoint.0.endpoint.db_name")).to_have_value("serviceName.orcl")
    w.fill({"source_endpoint.0.endpoint.db_password": "source-pw-1"})
    page.get_by_role("button", name="Next →").click()  # (this page shows the missing one)
    expect(page.locator("#step-title")).to_have_text("Target endpoint")
    w.fill({"target_endpoint.0.endpoint.db_password": "target-pw-1"})

    page.get_by_role("button", name="1 Base info").click()
    expect(page.locator("#step-title")).to_have_text("Base info")
    w.choose("base_info.engine_type", "sync:mysql-to-mysql")
    expect(page.locator("#removed-note")).to_contain_text(
        "Removed: Service name (db_name), not used for MySQL")
    assert "db_name" not in json.dumps(w.body())

    page.get_by_role("button", name="7 Review").click()
    expect(page.locator("#step-title")).to_have_text("Review")
    expect(page.locator("#violations")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("serviceName.orcl")
    job_id = w.submit()

    stored = sandbox_job(sandbox_project, job_id)
    assert stored["base_info"]["engine_type"] == "mysql-to-mysql"
    assert "db_name" not in stored["source_endpoint"][0]["endpoint"]
