"""The ordinary forms (login, import, rename, the ops filters) in Chromium: each error on its
input, what was typed kept, and no sideways scrolling on a phone."""

import pytest
from browser_helpers import Wizard
from playwright.sync_api import expect

from drsui.wizard.services import draft_create, draft_from_body
from tests.contract.bodies import mysql_sync_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_wrong_password_is_said_and_the_username_kept(page, live_server, demo_user):
    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not-her-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")
    expect(page.get_by_label("Username")).to_have_value("alice")
    expect(page.get_by_label("Password")).to_have_value("")


def test_an_import_error_shows_on_the_input_it_came_from(wizard, tmp_path):
    page = wizard.page
    page.goto(wizard.url + "/drafts/import/")
    bad = tmp_path / "latin1.json"
    bad.write_bytes('{"job": {"x": "é"}}'.encode("latin-1"))
    page.get_by_label("…or choose a file").set_input_files(bad)
    page.get_by_role("button", name="Import").click()
    file_input = page.get_by_label("…or choose a file")
    expect(file_input).to_have_attribute("aria-invalid", "true")
    expect(file_input).to_have_accessible_description("The file is not UTF-8 text.")
    expect(page.get_by_label("Paste the body")).not_to_have_attribute("aria-invalid", "true")

    page.get_by_label("Paste the body").fill('{"job": [1, 2]}')
    page.get_by_role("button", name="Import").click()
    body = page.get_by_label("Paste the body")
    expect(body).to_have_accessible_description(
        'The body must be a JSON object of the API\'s form: {"job": {...}}.')
    expect(body).to_have_value('{"job": [1, 2]}')
    expect(page.get_by_label("…or choose a file")).not_to_have_attribute("aria-invalid", "true")


def test_a_refused_rename_shows_on_the_field_and_keeps_the_name(wizard, demo_user,
                                                                sandbox_project):
    page = wizard.page
    draft = draft_create(owner=demo_user, project=sandbox_project)
    page.goto(wizard.url + "/drafts/")
    page.get_by_role("link", name="Rename").click()
    name = page.get_by_label("New name")
    expect(name).to_have_value(draft.name)
    name.fill("9 starts with a digit")
    page.get_by_role("button", name="Save").click()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_value("9 starts with a digit")
    name.fill("orders-nightly")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Renamed to orders-nightly.")).to_be_visible()
    expect(page.locator("#drafts").get_by_role("link", name="orders-nightly")).to_be_visible()


def test_a_bad_ops_filter_shows_on_its_input(page, live_server, sandbox_project):
    w = Wizard(page, live_server)
    w.login("admin", "admin")
    page.goto(w.url + "/ops/")
    until = page.get_by_label("To", exact=True)
    until.fill("9999-12-31")  # a day no filter can end on; the change goes out through htmx
    expect(until).to_have_attribute("aria-invalid", "true")
    expect(until).to_have_accessible_description("Enter a day from 1970-01-01 to 9998-12-31.")
    expect(page.locator("#filters-ignored")).to_contain_text("Ignored: To")
    until.fill("2026-01-01")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_label("To", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#filters-ignored")).to_have_count(0)
    assert "date_to=2026-01-01" in page.url


def test_the_pages_fit_a_phone(page, live_server, sandbox_project, django_user_model):
    """ui.md: 390 px wide without sideways scrolling, errors shown included; long ids and
    paths wrap (a wizard step and the review of a complete task)."""
    page.set_viewport_size({"width": 390, "height": 844})
    w = Wizard(page, live_server)
    w.login("admin", "admin")
    admin = django_user_model.objects.get(username="admin")
    draft = draft_create(owner=admin, project=sandbox_project)
    task = draft_from_body(owner=admin, body=mysql_sync_body(), project=sandbox_project)
    for path in ("/drafts/", f"/drafts/{draft.pk}/rename/", "/drafts/import/",
                 "/ops/?date_to=9999-12-31", "/ops/audit/?submission=abc",
                 f"/drafts/{task.pk}/source/", f"/drafts/{task.pk}/review/"):
        page.goto(live_server.url + path)
        width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], (path, width)
