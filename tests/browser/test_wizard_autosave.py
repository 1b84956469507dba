"""What is typed survives a reload without pressing Save; the same tab saves on without a
conflict while an older tab is refused; a new task is stored by its first save only."""

import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from drsui.wizard.models import Draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"^Saved \d\d:\d\d$")


def test_typing_is_autosaved_and_only_an_older_tab_is_refused(wizard, sandbox_project):
    w, page = wizard, wizard.page
    w.new_task()
    w.fill({"base_info.description": "typed, never saved"})
    saved = page.locator("#saved-at")
    expect(saved).to_have_text(SAVED)  # after a pause, without a button
    expect(page).to_have_url(re.compile(r"/drafts/\d+/base/$"))  # the new task's draft
    draft = Draft.objects.get()
    shanghai = draft.updated_at.astimezone(ZoneInfo("Asia/Shanghai"))  # the browser's zone
    expect(saved).to_have_text(shanghai.strftime("Saved %H:%M"))
    page.reload()
    expect(w.field("base_info.description")).to_have_value("typed, never saved")

    older = page.context.new_page()  # a second tab, at the version of now
    older.goto(page.url)

    w.fill({"base_info.name": "autosaved-task"})
    expect(page.locator("#task-name")).to_have_text("autosaved-task")  # as it is typed
    expect(saved).to_have_text(SAVED)  # after the reload, by this autosave: a new version
    w.fill({"base_info.description": "then saved"})
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Draft saved")).to_be_visible()
    assert w.errors() == ""
    draft.refresh_from_db()
    assert (draft.name, draft.job["base_info"]["description"]) == ("autosaved-task",
                                                                   "then saved")

    older.locator('[name="base_info.description"]').fill("from the older tab")
    expect(older.locator("#saved-at")).to_have_text(
        re.compile(r"^Not saved — this draft was changed elsewhere"))
    older.get_by_role("button", name="Save", exact=True).click()
    expect(older.locator("#error-summary")).to_contain_text("changed elsewhere")
    expect(older.locator('[name="base_info.description"]')).to_have_value("from the older tab")
    draft.refresh_from_db()
    assert draft.job["base_info"]["description"] == "then saved"


def test_a_new_task_is_stored_by_its_first_save_only(wizard, sandbox_project):
    w, page = wizard, wizard.page
    w.new_task()
    expect(page.locator("#saved-at")).to_have_text("not saved yet")
    page.get_by_role("link", name="My drafts").click()  # left without typing
    expect(page.get_by_text("No drafts yet.")).to_be_visible()

    w.new_task()
    w.field("project_id").select_option(label="Sandbox (cn-north-4)")
    w.fill({"base_info.name": "named-then-next"})
    expect(page.locator("#task-name")).to_have_text("named-then-next")
    w.next("Source endpoint")
    page.get_by_role("link", name="My drafts").click()
    expect(page.locator("#drafts tbody tr")).to_have_count(1)
    expect(page.locator("#drafts tbody tr")).to_contain_text("named-then-next")
    assert Draft.objects.get().name == "named-then-next"


def _posted(request, name: str) -> str:
    """A field of a multipart POST as the page sent it."""
    found = re.search(rf'name="{name}"\r\n\r\n([^\r]*)', request.post_data or "")
    return found.group(1) if found else ""


def _type_and_pause(page, name: str, value: str):
    """Type, let the JSON panel follow, then run through the autosave's pause (the clock is
    Playwright's): one request at a time, as the in-memory test database wants."""
    with page.expect_response(lambda r: _posted(r.request, "_action") == "preview"):
        page.locator(f'[name="{name}"]').fill(value)
    page.clock.run_for(1500)


def test_a_new_task_survives_a_lost_answer_and_autosaves_wait_for_a_re_render(
        wizard, sandbox_project):
    w, page = wizard, wizard.page
    page.clock.install()  # the autosave's pause is run through at will; time flows otherwise
    w.new_task()
    key = w.field("_new_key").input_value()
    first = []

    def lose_the_first_answer(route):  # the draft is created, the page never hears of it
        if first or _posted(route.request, "_action") != "autosave":
            route.continue_()
            return
        first.append(route.fetch())
        route.abort()

    page.route(re.compile(r"/drafts/new/"), lose_the_first_answer)
    _type_and_pause(page, "base_info.description", "typed before the reload")
    expect(page).to_have_url(re.compile(rf"/drafts/new/\?key={re.escape(key)}$"))
    expect(page.locator("#saved-at")).to_have_text(re.compile(r"^Not saved — no connection"))
    assert first and first[0].status == 200
    page.reload()  # the address opens the draft that answer created, not a blank task
    expect(page).to_have_url(re.compile(r"/drafts/\d+/base/$"))
    expect(w.field("base_info.description")).to_have_value("typed before the reload")

    # A re-render in flight: an autosave due meanwhile waits for it and sends its version.
    held, sent = [], []
    page.route(re.compile(r"/drafts/\d+/base/$"), lambda route: held.append(route)
               if _posted(route.request, "_action") == "update" else route.continue_())
    page.on("request", lambda r: sent.append(("autosave", _posted(r, "_version")))
            if _posted(r, "_action") == "autosave" else None)
    page.on("response", lambda r: sent.append(("re-rendered", ""))
            if _posted(r.request, "_action") == "update" else None)
    scenario = w.field("base_info.engine_type")
    scenario.select_option(next(v for v in w.options("base_info.engine_type")
                                if v != scenario.input_value()))
    while not held:
        page.wait_for_timeout(20)
    # typed meanwhile (the re-render's form replaces it), its autosave due:
    _type_and_pause(page, "base_info.name", "typed-while-re-rendering")
    held[0].continue_()
    expect(page.locator("#saved-at")).to_have_text(SAVED)
    expect(page.locator("#error-summary")).to_have_count(0)
    version = page.locator("input[name=_version]").input_value()
    assert sent == [("re-rendered", ""), ("autosave", version)]  # what the re-render gave
    assert Draft.objects.get().version == int(version)

    # A tab the browser duplicated (its sessionStorage, so its tab id, copied) is another tab.
    tab_id = page.evaluate("sessionStorage.getItem('drsui-tab')")
    duplicate = page.context.new_page()
    duplicate.add_init_script(f"sessionStorage.setItem('drsui-tab', '{tab_id}')")
    duplicate.goto(page.url)
    expect(duplicate.locator("input[name=_tab]")).not_to_have_value(tab_id)
    with page.expect_response(lambda r: _posted(r.request, "_action") == "autosave"):
        _type_and_pause(page, "base_info.description", "from the first tab")
    _type_and_pause(duplicate, "base_info.description", "from the duplicate")
    expect(duplicate.locator("#saved-at")).to_have_text(
        re.compile(r"^Not saved — this draft was changed elsewhere"))
    assert Draft.objects.get().job["base_info"]["description"] == "from the first tab"
