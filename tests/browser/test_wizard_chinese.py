"""A person whose browser asks for Chinese (zh-CN) walks the whole wizard and submits; the
language they switch to follows them to their next log-in, on any device (issue #14).

Words are looked for as the catalogs say them at test time (`words("zh-hans", …)`), so the
test follows the translations rather than hard-coding them."""

import re

import pytest
from browser_helpers import Wizard, sandbox_job, words
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "9dc8c0f3f74c4dbb23c29cf0318ee561"
INSTANCE = "c2c7579bc09c490b9d8009db715aeb0ain14"
VPC = {"vpc_id": "2cb5d364-ae63-4fbb-85b7-7d59f4a88f8f",
       "subnet_id": "2cb54324-ae63-4fbb-85b7-7d59f4a88f8f"}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


def switcher(page):
    return page.locator("#language-select")


def expect_language(page, code: str, name: str):
    expect(switcher(page)).to_have_value(code)
    expect(switcher(page).locator("option:checked")).to_have_text(name)


def switch_to(page, code: str):
    """Choose a language in the top bar (it submits itself on change) and wait for the page."""
    with page.expect_navigation():
        switcher(page).select_option(code)


def test_a_chinese_speaking_person_walks_the_wizard_and_submits(
        page, live_server, demo_user, sandbox_project):
    w = Wizard(page, live_server, language="zh-hans")
    w.enter_as(demo_user)
    expect_language(page, "zh-hans", "简体中文")

    w.start("migration:mysql-to-mysql", "Mysql-Chinese-1")
    expect(w.field("base_info.job_direction")).to_have_value("up")
    w.field("base_info.task_type").select_option("FULL_INCR_TRANS")
    w.next("Source endpoint")

    expect(w.field("source_endpoint.0.endpoint_type")).to_have_value("offline")
    w.fill({
        "source_endpoint.0.endpoint.ip": "10.0.0.10",
        "source_endpoint.0.endpoint.db_port": "3306",
        "source_endpoint.0.endpoint.db_user": "root",
        "source_endpoint.0.endpoint.db_password": "offline-source-pw",
    })
    w.next("Target endpoint")

    w.fill({
        "target_endpoint.0.endpoint.instance_id": INSTANCE,
        "target_endpoint.0.endpoint.db_user": "root",
        "target_endpoint.0.endpoint.db_password": "rds-target-pw",
        "target_endpoint.0.cloud.region": "cn-north-4",
        "target_endpoint.0.cloud.project_id": PROJECT,
    })
    w.next("Network")

    w.choose("base_info.net_type", "vpn")
    w.fill({"node_info.vpc.vpc_id": VPC["vpc_id"], "node_info.vpc.subnet_id": VPC["subnet_id"]})
    w.next("Billing")
    w.next("Node")
    w.next("Review")
    expect_language(page, "zh-hans", "简体中文")
    job_id = w.submit()

    job = sandbox_job(sandbox_project, job_id)
    assert job["name"] == "Mysql-Chinese-1"
    assert (job["base_info"]["job_type"], job["base_info"]["engine_type"]) == (
        "migration", "mysql-to-mysql")
    assert job["source_endpoint"][0]["endpoint"]["ip"] == "10.0.0.10"
    assert job["target_endpoint"][0]["endpoint"]["instance_id"] == INSTANCE


def test_the_page_says_its_language(page, live_server, demo_user):
    Wizard(page, live_server, language="zh-hans").enter_as(demo_user)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    switch_to(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_switch_sticks_after_a_new_log_in_on_any_device(
        page, browser, live_server, demo_user):
    chinese = Wizard(page, live_server, language="zh-hans")
    chinese.login()
    expect_language(page, "zh-hans", "简体中文")

    switch_to(page, "en")
    english = Wizard(page, live_server, language="en")
    expect_language(page, "en", "English")
    expect(page.get_by_role("heading", name="My drafts")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    english.login()  # the browser still asks for zh-CN
    expect_language(page, "en", "English")

    switch_to(page, "zh-hans")
    expect_language(page, "zh-hans", "简体中文")
    expect(page.get_by_role("heading", name=words("zh-hans", "My drafts"))).to_be_visible()

    # Another device, whose browser asks for English: the person's choice wins after log-in.
    laptop = browser.new_context(locale="en-US")
    try:
        other = laptop.new_page()
        other.goto(live_server.url + "/login/")
        expect_language(other, "en", "English")  # before log-in: the browser's language
        other.get_by_label("Username").fill("alice")
        other.get_by_label("Password").fill("alice-pass-1")
        other.get_by_role("button", name="Log in").click()
        expect(other.get_by_role("heading", name=words("zh-hans", "My drafts"))).to_be_visible()
        expect_language(other, "zh-hans", "简体中文")
    finally:
        laptop.close()
