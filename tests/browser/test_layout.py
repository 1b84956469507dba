"""Layout in Chromium at a 1280 px desktop and a 390 px phone, measured by the elements' boxes:
nothing cut off, one line per draft, no button broken across lines; and the JSON panel showing
the part of the body the current step edits."""

import pytest
from browser_helpers import Wizard
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from drsui.wizard.services import draft_from_body
from tests.contract.bodies import mysql_sync_body, oracle_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONGEST_NAME = ("orders-nightly-copy-" * 3)[:50]  # the longest a name may be

# Of each element: whether its widest option (a select) or its content (anything) fits.
CUT_OFF = """els => els.filter(el => el.offsetParent !== null).map(el => {
    const style = getComputedStyle(el);
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const widest = el.tagName === "SELECT"
        ? Math.max(...[...el.options].map(o => ctx.measureText(o.text).width)) : 0;
    return (el.scrollWidth > el.clientWidth || widest > room + 0.5)
        ? `${el.name || el.id}: ${Math.round(widest)} px of text in ${Math.round(room)}` : "";
}).filter(Boolean)"""

# Of each element: the number of lines its box spans (its height over its line height).
LINES = """els => els.filter(el => el.offsetParent !== null).map(el => {
    const style = getComputedStyle(el);
    const inner = el.getBoundingClientRect().height - parseFloat(style.paddingTop)
        - parseFloat(style.paddingBottom) - parseFloat(style.borderTopWidth)
        - parseFloat(style.borderBottomWidth);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
    return [el.textContent.trim().slice(0, 30), Math.floor(inner / line + 0.25)];
})"""

# The step's part of the JSON panel (its text) once scrolled to the panel's top; else false.
PART_AT_TOP = """() => {
    const pre = document.getElementById("json-body");
    const part = pre && pre.querySelector(".json-owned");
    if (!part || pre.scrollTop === 0) { return false; }
    const top = part.getBoundingClientRect().top - pre.getBoundingClientRect().top
        - parseFloat(getComputedStyle(pre).paddingTop);
    return Math.abs(top) < 2 && part.textContent.trim();
}"""

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def lines_of(locator) -> dict[str, int]:
    return dict(locator.evaluate_all(LINES))


def test_pages_fit_a_desktop_and_a_phone(page, live_server, sandbox_project):
    admin = get_user_model().objects.get(username="admin")
    long_named = oracle_body()
    long_named["job"]["base_info"]["name"] = LONGEST_NAME
    draft_from_body(owner=admin, body=long_named, project=sandbox_project)
    walked = draft_from_body(owner=admin, body=mysql_sync_body(), project=sandbox_project)
    walked.furthest_step = "review"
    walked.save()
    w = Wizard(page, live_server)
    w.login("admin", "admin")  # lands on My drafts, at 1280 px
    drafts = page.locator("#drafts")

    # My drafts at 1280: a line per draft, the scenario by its label, the table fits.
    expect(drafts).to_contain_text("Oracle → GaussDB Distributed · Real-time synchronization")
    cells = lines_of(drafts.locator("tbody td"))
    assert cells and set(cells.values()) == {1}, cells
    assert drafts.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    # At 390: no sideways scrolling; each action whole on one line, the menu's too.
    page.set_viewport_size({"width": 390, "height": 800})
    actions = drafts.locator(".draft-actions .btn")
    assert actions.count() == 4 and set(lines_of(actions).values()) == {1}, lines_of(actions)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    drafts.locator(".row-menu summary").first.click()
    menu = drafts.locator(".row-menu[open] .dropdown-item")
    expect(menu).to_have_text(["Create a similar task", "Export",
                               "Start a migration wave from this draft", "Delete"])
    assert set(lines_of(menu).values()) == {1}, lines_of(menu)
    box = drafts.locator(".row-menu[open] .row-menu-items").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390

    # Base info at 1280: every scenario fits its select.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/drafts/{walked.pk}/base/")
    assert page.locator("select").evaluate_all(CUT_OFF) == []

    # The JSON panel opens at the step's part, and is put back there after a typing preview.
    page.goto(f"{live_server.url}/drafts/{walked.pk}/source/")
    assert page.wait_for_function(PART_AT_TOP).json_value().startswith('"source_endpoint": [')
    with page.expect_response(lambda r: r.request.headers.get("hx-trigger") == "json-preview"):
        w.field("source_endpoint.0.endpoint.ip").fill("10.9.9.9")
    expect(page.locator("#json-body")).to_contain_text("10.9.9.9")
    assert page.wait_for_function(PART_AT_TOP).json_value().startswith('"source_endpoint": [')

    # The dashboard's filters at 1280: no select or input cut off.
    page.goto(f"{live_server.url}/ops/")
    assert page.locator("#ops-filters select, #ops-filters input").evaluate_all(CUT_OFF) == []


# Of each element: its text when its box spans more than one line.
BROKEN = f"""els => ({LINES})(els).filter(([text, n]) => n > 1).map(([text]) => text)"""


def _seed_pages(owner, project) -> list[str]:
    """The pages to measure, with a long-named draft, a submission and an audit event."""
    from django.contrib.auth.models import Group

    from drsui import contract as c
    from drsui.audit.services import audit_record
    from drsui.jobs.models import Submission, SubmissionBody

    owner.groups.add(Group.objects.get_or_create(name="ops")[0])
    long_named = oracle_body()
    long_named["job"]["base_info"]["name"] = LONGEST_NAME
    draft = draft_from_body(owner=owner, body=long_named, project=project)
    walked = draft_from_body(owner=owner, body=mysql_sync_body(), project=project)
    walked.furthest_step = "review"
    walked.save()
    body = c.mask_secrets(long_named)
    sent = Submission.objects.create(
        draft=draft, user=owner, name=draft.name, project=project,
        engine_type="oracle-to-gaussdbv5", state="failed", active=False, error_code="DRS.10000001",
        error_msg="The request body is not valid.")
    SubmissionBody.objects.create(submission=sent, body=body)
    audit_record(user=owner, action="submission_created", submission=sent, detail="layout")
    return ["/", f"/drafts/{walked.pk}/base/", f"/drafts/{walked.pk}/network/",
            f"/drafts/{walked.pk}/review/", f"/drafts/{walked.pk}/export/",
            f"/submissions/{sent.pk}/", "/ops/", "/ops/audit/", "/drafts/import/"]


@pytest.mark.parametrize("language", [
    pytest.param("en", marks=pytest.mark.browser_context_args(locale="en-US")),
    pytest.param("zh-hans", marks=pytest.mark.browser_context_args(locale="zh-CN")),
])
def test_every_page_fits_a_desktop_and_a_phone_in_either_language(
        language, page, live_server, demo_user, sandbox_project):
    pages = _seed_pages(demo_user, sandbox_project)
    _sign_in(page, live_server, demo_user)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in pages:
            page.goto(live_server.url + path)
            assert page.locator("html").get_attribute("lang") == language
            where = f"{path} at {width} px"
            assert page.evaluate(NO_SIDEWAYS_SCROLL), where
            buttons = page.locator("main .btn:not(.dropdown-item), nav.navbar .btn")
            assert buttons.evaluate_all(BROKEN) == [], where
            if width > 390:  # a phone lists a select's options in a picker of its own
                assert page.locator("main select").evaluate_all(CUT_OFF) == [], where


def _sign_in(page, live_server, user):
    """The session cookie a login sets (Wizard.enter_as expects an English heading)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
