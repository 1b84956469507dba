"""Keys on a deciding select (issue #13): arrow keys change it at every press, and the form is
re-rendered once, on leaving the select or on Enter, not at every press."""

from playwright.sync_api import expect

SCENARIO = "base_info.engine_type"


def test_arrow_keys_on_the_scenario_re_render_once(wizard):
    w, page = wizard, wizard.page
    w.new_task()
    rerenders = []
    page.on("request", lambda r: rerenders.append(r.post_data) if (
        r.method == "POST" and r.headers.get("hx-request")
        and r.headers.get("hx-trigger") != "json-preview") else None)
    offered = w.options(SCENARIO)
    start = offered.index(w.field(SCENARIO).input_value())

    w.field(SCENARIO).focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(w.field(SCENARIO)).to_have_value(offered[start + 2])
    w._rerender(lambda: page.keyboard.press("Tab"))  # leaving it: one re-render
    assert len(rerenders) == 1 and offered[start + 2] in rerenders[0]
    expect(w.field(SCENARIO)).to_have_value(offered[start + 2])
    assert page.evaluate("document.activeElement.name") == "base_info.job_direction"

    w.field(SCENARIO).focus()
    page.keyboard.press("ArrowUp")
    w._rerender(lambda: page.keyboard.press("Enter"))  # Enter: re-rendered, nothing submitted
    assert len(rerenders) == 2
    expect(page.locator("#step-title")).to_have_text("Base info")
    expect(w.field(SCENARIO)).to_have_value(offered[start + 1])

    w._rerender(lambda: w.field(SCENARIO).select_option(offered[start]))  # a pick: at once
    assert len(rerenders) == 3
