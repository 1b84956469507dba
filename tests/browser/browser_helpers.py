"""What the browser tests share: a person's way through the wizard, and sandbox look-ups."""

import json
import re

from playwright.sync_api import Page, expect

from drsui import contract as c


class Wizard:
    """Drives the wizard as a person does: by labels, buttons and the fields' API names."""

    def __init__(self, page: Page, live_server):
        self.page = page
        self.url = live_server.url

    def login(self, username="alice", password="alice-pass-1"):
        self.page.goto(self.url + "/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("heading", name="My drafts")).to_be_visible()

    def new_task(self):
        self.page.get_by_role("button", name="New task").first.click()
        expect(self.page.get_by_role("heading", name="Base info")).to_be_visible()

    def field(self, name: str):
        return self.page.locator(f'[name="{name}"]')

    def choose(self, name: str, value: str):
        """Pick a value of a select that decides other fields, and wait for the re-render."""
        with self.page.expect_response(lambda r: r.request.method == "POST"):
            self.field(name).select_option(value)

    def check(self, name: str, on: bool = True):
        box = self.field(name)
        if box.is_checked() != on:
            with self.page.expect_response(lambda r: r.request.method == "POST"):
                box.set_checked(on)

    def fill(self, values: dict):
        for name, value in values.items():
            self.field(name).fill(value)

    def press(self, label: str):
        with self.page.expect_response(lambda r: r.request.method == "POST"):
            self.page.get_by_role("button", name=label, exact=True).click()

    def errors(self) -> str:
        summary = self.page.locator("#error-summary")
        return summary.inner_text() if summary.count() else ""

    def next(self, expect_step: str):
        self.page.get_by_role("button", name="Next →").click()
        self.page.wait_for_load_state()
        assert self.errors() == "", self.errors()
        expect(self.page.locator("#step-title")).to_have_text(expect_step)

    def body(self) -> dict:
        return json.loads(self.page.locator("#json-body").inner_text())

    def submit(self):
        self.page.get_by_role("button", name="Submit to DRS").click()
        expect(self.page.get_by_text("Created at DRS.")).to_be_visible()
        return self.page.locator("#drs-job-id").inner_text()


def sandbox_job(project, job_id: str) -> dict:
    """The job as the sandbox stored it, read back over the DRS API."""
    from drsui.jobs.services import drs_client_for

    return drs_client_for(project).get_job(job_id)


def without_secrets(body: dict) -> dict:
    return c.strip_secrets(body)[0]


def job_fields(job: dict) -> dict:
    """A GET job answer without the fields DRS adds (id, status, create_time, name)."""
    return {k: v for k, v in job.items()
            if not re.fullmatch(r"id|status|create_time|name|is_clone_job", k)}
