"""A migration wave in Chromium: started from a draft, 20 rows uploaded from a CSV file, the 3
bad cells marked with their rule ids, fixed in the grid (htmx saves each row), the wave sent and
its 20 jobs read back from the sandbox."""

import csv
import io

import pytest
from browser_helpers import sandbox_job
from playwright.sync_api import expect

from drsui.waves.models import Wave
from drsui.wizard.services import draft_from_body
from tests.contract.bodies import example_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOURCE = "source_endpoint.0.endpoint"
PORT = f"{SOURCE}.db_port"
IP = f"{SOURCE}.ip"


def _csv(columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([[row.get(column, "") for column in columns] for row in rows])
    return out.getvalue().encode("utf-8")


def test_a_wave_of_twenty_rows_three_bad_fixed_in_the_grid_and_sent_to_the_sandbox(
        wizard, page, demo_user, sandbox_project):
    body = example_body(0)
    body["job"]["source_endpoint"][0]["endpoint"]["db_password"] = "template-src-pw"
    body["job"]["target_endpoint"][0]["endpoint"]["db_password"] = "target-pw"
    body["job"]["base_info"]["name"] = "oracle-template"
    draft_from_body(owner=demo_user, body=body, project=sandbox_project)

    page.goto(wizard.url + "/drafts/")
    page.locator("#drafts details.row-menu summary").first.click()
    page.get_by_role("link", name="Start a migration wave from this draft").click()
    page.get_by_label("Wave name").fill("Oracle wave")
    expect(page.get_by_label("Port")).to_be_checked()  # the proposal
    page.get_by_role("button", name="Start the wave").click()
    expect(page.locator("#wave-name")).to_have_text("Oracle wave")
    wave = Wave.objects.get()

    rows = [{"base_info.name": f"wave-task-{n:02d}", IP: f"10.0.0.{n}", PORT: "1521",
             f"{SOURCE}.db_user": "ORACLE_USER", f"{SOURCE}.db_password": f"pw-{n}",
             "target_endpoint.0.endpoint.instance_id": f"{n:02d}" * 16}
            for n in range(1, 21)]
    bad = {2: (PORT, "port", "R-28"), 9: (PORT, "99999", "R-28"), 15: (IP, "10.0.300.1", "R-27")}
    for n, (path, value, _rule) in bad.items():
        rows[n - 1][path] = value
    page.locator("#upload-file").set_input_files(files=[{
        "name": "rows.csv", "mimeType": "text/csv", "buffer": _csv(wave.paths, rows)}])
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Rows added: 20; rows updated: 0.")).to_be_visible()
    expect(page.locator("#wave-row-counts")).to_contain_text("3 with problems")

    invalid = page.locator("#wave-table input.is-invalid")
    expect(invalid).to_have_count(3)
    for n, (path, _value, rule) in bad.items():
        cell = page.locator(f"tbody.wave-row:nth-of-type({n}) td[data-path='{path}']")
        expect(cell.locator("input")).to_have_class("form-control form-control-sm is-invalid")
        expect(cell.locator(".invalid-feedback")).to_contain_text(rule)
    expect(page.locator("#wave-send")).to_have_text("Send the wave (17 rows)")

    # On a phone the grid scrolls sideways and row 2's bad port is out of sight; the badge on
    # the row's number, which stays in sight, brings the cell into view.
    page.set_viewport_size({"width": 390, "height": 800})
    port = page.locator(f"tbody.wave-row:nth-of-type(2) td[data-path='{PORT}'] input")
    box = port.bounding_box()
    assert box["x"] + box["width"] > 390
    badge = page.locator("tbody.wave-row:nth-of-type(2) .wave-problems-link")
    expect(badge).to_have_text("1")
    expect(badge).to_have_attribute("title", "Row 2: 1 problem, go to it")
    badge.click()
    for seen in (port.bounding_box(), badge.bounding_box()):
        assert 0 <= seen["x"] and seen["x"] + seen["width"] <= 390
    page.set_viewport_size({"width": 1280, "height": 800})

    # Fixed in the grid: each row saves on its change (htmx).
    fixed = {PORT: "1522", IP: "10.0.3.1"}
    for n, (path, _value, _rule) in bad.items():
        cell = page.locator(f"tbody.wave-row:nth-of-type({n}) td[data-path='{path}'] input")
        cell.fill(fixed[path])
        with page.expect_response(lambda r: "/rows/" in r.url):
            cell.press("Tab")
    expect(invalid).to_have_count(0)
    expect(page.locator(".wave-problems-link")).to_have_count(0)
    page.get_by_role("button", name="Save the rows").first.click()
    expect(page.locator("#wave-row-counts")).to_contain_text("0 with problems")
    assert "pw-" not in page.content() and "target-pw" not in page.content()

    page.locator("#wave-send").click()
    expect(page.locator("#wave-counts [data-count='created'] strong")).to_have_text(
        "20", timeout=60_000)
    expect(page.locator("#wave-status tbody tr")).to_have_count(20)

    jobs = {}
    for row in wave.rows.select_related("draft"):
        submission = row.draft.submissions.get()
        jobs[submission.drs_job_id] = sandbox_job(sandbox_project, submission.drs_job_id)
    assert sorted(job["name"] for job in jobs.values()) == [
        f"wave-task-{n:02d}" for n in range(1, 21)]
    ports = {job["name"]: job["source_endpoint"][0]["endpoint"]["db_port"]
             for job in jobs.values()}
    assert ports["wave-task-02"] == ports["wave-task-09"] == "1522"
