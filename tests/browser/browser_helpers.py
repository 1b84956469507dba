"""What the browser tests share: a person's way through the wizard, and sandbox look-ups."""

import json
import re

from playwright.sync_api import Page, expect

from drsui import contract as c


def words(language: str, text: str) -> str:
    """`text` as the catalogs say it in `language` (the English msgid when they have none)."""
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(text)


class Wizard:
    """Drives the wizard as a person does: by labels, buttons and the fields' API names,
    in the person's language (`language`: the buttons' and headings' words come from the
    catalogs)."""

    def __init__(self, page: Page, live_server, *, javascript: bool = True,
                 language: str = "en"):
        self.page = page
        self.url = live_server.url
        self.javascript = javascript
        self.language = language

    def t(self, text: str) -> str:
        return words(self.language, text)

    def step_title(self, english: str) -> str:
        """A step's title as the wizard says it in the person's language (a title may have a
        context of its own: read from the step table, not from its English)."""
        from django.utils import translation

        from drsui.wizard.steps import STEPS

        with translation.override("en"):
            step = next(s for s in STEPS if str(s.title) == english)
        with translation.override(self.language):
            return str(step.title)

    def _rerender(self, action):
        """Do `action`, which posts the form, and wait until the answer is on the page.

        With JavaScript htmx swaps the new form in after the response has arrived, so this
        waits for htmx's afterSettle: typing into an input about to be replaced would be lost.
        Without JavaScript the answer is a whole page."""
        if not self.javascript:
            with self.page.expect_navigation():
                action()
            return
        self.page.evaluate("""() => { window.__drsuiSettled = false;
            const settled = (event) => {
                if (event.target.id === "json-body") { return; }  // a typing preview
                document.removeEventListener("htmx:afterSettle", settled);
                window.__drsuiSettled = true;
            };
            document.addEventListener("htmx:afterSettle", settled);
        }""")
        # htmx's own POST (an autosave is a plain fetch; a typing preview only fills the panel)
        with self.page.expect_response(lambda r: r.request.method == "POST"
                                       and r.request.headers.get("hx-request") == "true"
                                       and r.request.headers.get("hx-trigger") != "json-preview"):
            action()
        # Waited for with Playwright's timeout: a swap that never comes fails, never hangs.
        self.page.wait_for_function("() => window.__drsuiSettled === true")

    def login(self, username="alice", password="alice-pass-1"):
        self.page.goto(self.url + "/login/")
        # By the inputs' names: the labels' words come from Django's own catalog as well as
        # ours (test_ordinary_forms checks the page's words).
        form = self.page.locator('form[action="/login/"]')
        form.locator('[name="username"]').fill(username)
        form.locator('[name="password"]').fill(password)
        form.locator('[type="submit"]').click()
        expect(self.page.get_by_role("heading", name=self.t("My drafts"))).to_be_visible()

    def enter_as(self, user):
        """Start signed in as `user`, on My drafts: the session cookie a login would set,
        without the login page (whose own tests are in test_ordinary_forms)."""
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies([{"name": cookie.key, "value": cookie.value,
                                        "url": self.url}])
        self.page.goto(self.url + "/")
        expect(self.page.get_by_role("heading", name=self.t("My drafts"))).to_be_visible()

    def new_task(self):
        self.page.get_by_role("button", name=self.t("New task")).first.click()
        expect(self.page.get_by_role("heading", name=self.step_title("Base info"))).to_be_visible()

    def field(self, name: str):
        return self.page.locator(f'[name="{name}"]')

    def choose(self, name: str, value: str):
        """Pick a value of a select that decides other fields, and wait for the re-render
        (without JavaScript nothing is sent until the person presses "Update")."""
        if not self.javascript:
            self.field(name).select_option(value)
            return
        self._rerender(lambda: self.field(name).select_option(value))

    def check(self, name: str, on: bool = True):
        """Tick or clear a checkbox; one that decides other fields waits for the re-render."""
        box = self.field(name)
        if box.is_checked() == on:
            return
        if box.get_attribute("hx-post") is None or not self.javascript:
            box.set_checked(on)
            return
        self._rerender(lambda: box.set_checked(on))

    def upload(self, name: str, path):
        """Pick a file for a file input: the form re-renders with what the file filled in."""
        self._rerender(lambda: self.field(name).set_input_files(path))

    def start(self, scenario: str, name: str):
        """A new task in the Sandbox project, with its scenario ("job_type:engine") and name."""
        self.new_task()
        self.field("project_id").select_option(label="Sandbox (cn-north-4)")
        if self.field("base_info.engine_type").input_value() != scenario:
            self.choose("base_info.engine_type", scenario)
        self.fill({"base_info.name": name})

    def options(self, name: str) -> list[str]:
        """The values a select offers, in order."""
        return self.field(name).locator("option").evaluate_all(
            "options => options.map(o => o.value)")

    def fill(self, values: dict):
        for name, value in values.items():
            self.field(name).fill(value)

    def press(self, label: str):
        """Press a button that re-renders the form ("Add tags", "Add a row", "Update")."""
        self._rerender(lambda: self.page.get_by_role("button", name=label, exact=True).click())

    def errors(self) -> str:
        summary = self.page.locator("#error-summary")
        return summary.inner_text() if summary.count() else ""

    def next(self, expect_step: str):
        self.page.get_by_role("button", name=self.t("Next →")).click()
        self.page.wait_for_load_state()
        assert self.errors() == "", self.errors()
        expect(self.page.locator("#step-title")).to_have_text(self.step_title(expect_step))

    def body(self) -> dict:
        return json.loads(self.page.locator("#json-body").inner_text())

    def submit(self):
        self.page.get_by_role("button", name=self.t("Submit to DRS")).click()
        expect(self.page.get_by_text(self.t("Created at DRS."))).to_be_visible()
        return self.page.locator("#drs-job-id").inner_text()

    def submit_refused(self) -> tuple[str, str]:
        """Submit, expecting DRS to refuse: (error code, message) as the result page shows."""
        self.page.get_by_role("button", name="Submit to DRS").click()
        expect(self.page.get_by_text("DRS did not create the task.")).to_be_visible()
        return (self.page.locator("#drs-error-code").inner_text(),
                self.page.locator("#drs-error-msg").inner_text())


class SeenPages:
    """Every text answer the browser received (pages and htmx fragments), for
    "this secret was never shown" checks."""

    def __init__(self, page: Page):
        self.texts: list[str] = []
        page.on("response", self._keep)

    def _keep(self, response):
        kind = response.headers.get("content-type", "")
        if 300 <= response.status < 400:  # a redirect has no body; its target is kept
            return
        if response.request.resource_type in ("document", "fetch", "xhr") and (
                "html" in kind or "json" in kind or "text" in kind):
            self.texts.append(response.text())

    def containing(self, needle: str) -> list[str]:
        return [t for t in self.texts if needle in t]


def sandbox_job(project, job_id: str) -> dict:
    """The job as the sandbox stored it, read back over the DRS API."""
    from drsui.jobs.services.clients import drs_client_for

    return drs_client_for(project).get_job(job_id)


def without_secrets(body: dict) -> dict:
    return c.strip_secrets(body)[0]


def job_fields(job: dict) -> dict:
    """A GET job answer without the fields DRS adds (id, status, the times, name)."""
    return {k: v for k, v in job.items()
            if not re.fullmatch(r"id|status|create_time|update_time|name|is_clone_job", k)}
