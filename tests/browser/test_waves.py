"""A migration wave in Chromium: started from a draft, rows uploaded from a CSV file, the bad
cells marked with their rule ids, fixed in the grid (htmx saves each row) and saved."""

import csv
import io

import pytest
from playwright.sync_api import expect

from drsui import contract as c
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


def test_start_a_wave_upload_five_rows_fix_the_two_bad_ones(wizard, page, demo_user,
                                                            sandbox_project):
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

    rows = [{"base_info.name": f"wave-task-{n}", IP: f"10.0.0.{n}", PORT: "1521",
             f"{SOURCE}.db_user": "ORACLE_USER", f"{SOURCE}.db_password": f"pw-{n}",
             "target_endpoint.0.endpoint.instance_id": f"{n:02d}" * 16} for n in range(1, 6)]
    rows[1][PORT] = "port"
    rows[3][PORT] = "99999"
    page.locator("#upload-file").set_input_files(files=[{
        "name": "rows.csv", "mimeType": "text/csv", "buffer": _csv(wave.paths, rows)}])
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("5 rows added, 0 updated.")).to_be_visible()
    expect(page.locator("#wave-row-counts")).to_contain_text("2 with problems")

    invalid = page.locator("#wave-table input.is-invalid")
    expect(invalid).to_have_count(2)
    for n in (2, 4):
        cell = page.locator(f"tbody.wave-row:nth-of-type({n}) td[data-path='{PORT}']")
        expect(cell.locator("input")).to_have_class(
            "form-control form-control-sm is-invalid")
        expect(cell.locator(".invalid-feedback")).to_contain_text("R-28")

    # Fixed in the grid: each row saves on its change (htmx), the Save button saves them all.
    for n in (2, 4):
        cell = page.locator(f"tbody.wave-row:nth-of-type({n}) td[data-path='{PORT}'] input")
        cell.fill("1522")
        with page.expect_response(lambda r: "/rows/" in r.url):
            cell.press("Tab")
    expect(invalid).to_have_count(0)
    page.get_by_role("button", name="Save the rows").first.click()
    expect(page.locator("#wave-row-counts")).to_contain_text("0 with problems")
    expect(page.locator("#wave-table input.is-invalid")).to_have_count(0)
    ports = {row.draft.name: c.get_path(row.draft.job, PORT)
             for row in wave.rows.select_related("draft")}
    assert ports == {f"wave-task-{n}": "1522" if n in (2, 4) else "1521" for n in range(1, 6)}
    assert "pw-" not in page.content()
