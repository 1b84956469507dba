"""The wizard's conditional paths, its messages, a DRS refusal and the page without JavaScript,
each driven in a browser the way a person goes through them."""

import base64
import hashlib
import json
import re

import pytest
from browser_helpers import SeenPages, Wizard, sandbox_job
from playwright.sync_api import expect

from drsui.jobs.backends import wait_idle
from drsui.jobs.services.submit import submission_create
from drsui.wizard.models import Draft
from drsui.wizard.services import draft_from_body
from tests.contract.bodies import mysql_sync_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "9dc8c0f3f74c4dbb23c29cf0318ee561"
INSTANCE = "c2c7579bc09c490b9d8009db715aeb0ain14"
VPC = {"vpc_id": "2cb5d364-ae63-4fbb-85b7-7d59f4a88f8f",
       "subnet_id": "2cb54324-ae63-4fbb-85b7-7d59f4a88f8f"}
SOURCE, TARGET = "source_endpoint.0", "target_endpoint.0"
# A small PEM whose body is easy to look for in every answer the browser and DRS gave.
PEM = (b"-----BEGIN CERTIFICATE-----\n"
       b"MIIBszCCAVmgAwIBAgIUSecretCertificateBodyZmFrZQ==\n"
       b"-----END CERTIFICATE-----\n")


def self_built_source(w, password="source-pw-1"):
    w.fill({
        f"{SOURCE}.endpoint.ip": "10.0.0.10",
        f"{SOURCE}.endpoint.db_port": "3306",
        f"{SOURCE}.endpoint.db_user": "root",
        f"{SOURCE}.endpoint.db_password": password,
    })


def cloud_target(w):
    w.fill({
        f"{TARGET}.endpoint.instance_id": INSTANCE,
        f"{TARGET}.endpoint.db_user": "root",
        f"{TARGET}.endpoint.db_password": "target-pw-1",
        f"{TARGET}.cloud.region": "cn-north-4",
        f"{TARGET}.cloud.project_id": PROJECT,
    })


def drs_node_vpc(w):
    w.fill({"node_info.vpc.vpc_id": VPC["vpc_id"], "node_info.vpc.subnet_id": VPC["subnet_id"]})


def mysql_sync_to_review(w, name: str):
    """A plain MySQL sync into the cloud, from Base info to Review."""
    w.start("sync:mysql-to-mysql", name)
    w.next("Source endpoint")
    self_built_source(w)
    w.next("Target endpoint")
    cloud_target(w)
    w.next("Network")
    drs_node_vpc(w)
    w.next("Billing")
    w.next("Node")
    w.next("Review")


def field_error(w, name: str):
    """The message shown under a field (its aria-describedby block)."""
    return w.page.locator(f"#{w.field(name).get_attribute('id')}-desc .text-danger")


def test_yearly_billing_ha_node_ssl_and_dns_reach_the_sandbox(wizard, sandbox_project,
                                                              tmp_path):
    w, page = wizard, wizard.page
    seen = SeenPages(page)
    w.start("sync:mysql-to-mysql", "Mysql-Paths-1")
    w.next("Source endpoint")

    # SSL on a self-built source: the certificate file fills its name and checksum.
    self_built_source(w)
    expect(w.field(f"{SOURCE}.ssl.ssl_cert_name")).to_have_count(0)
    page.locator("#group-ssl summary").click()
    w.check(f"{SOURCE}.ssl.ssl_link")
    # A .p12 brings its password field, and Next without it says so on the field.
    p12 = tmp_path / "client.p12"
    p12.write_bytes(b"\x30\x82\x01\x0a fake pkcs12 bytes")
    w.upload(f"{SOURCE}.ssl.ssl_cert_key", p12)
    expect(w.field(f"{SOURCE}.ssl.ssl_cert_name")).to_have_value("client.p12")
    expect(w.field(f"{SOURCE}.ssl.ssl_cert_check_sum")).to_have_value(
        hashlib.sha256(p12.read_bytes()).hexdigest())
    expect(page.get_by_label("Certificate password")).to_have_attribute("type", "password")
    page.get_by_role("button", name="Next →").click()
    expect(page.locator("#error-summary")).to_contain_text("Certificate password")
    expect(field_error(w, f"{SOURCE}.ssl.ssl_cert_password")).to_contain_text(
        "Certificate password is required.")
    # Replaced by a PEM file: no password asked.
    cert = tmp_path / "ca.pem"
    cert.write_bytes(PEM)
    w.upload(f"{SOURCE}.ssl.ssl_cert_key", cert)
    expect(w.field(f"{SOURCE}.ssl.ssl_cert_name")).to_have_value("ca.pem")
    expect(w.field(f"{SOURCE}.ssl.ssl_cert_name")).to_have_attribute("readonly", "")
    checksum = hashlib.sha256(PEM).hexdigest()
    expect(w.field(f"{SOURCE}.ssl.ssl_cert_check_sum")).to_have_value(checksum)
    expect(page.locator(f"#f-{SOURCE.replace('.', '-')}-ssl-ssl_cert_key-desc")).to_contain_text(
        "Set — leave empty to keep it.")
    expect(w.field(f"{SOURCE}.ssl.ssl_cert_password")).to_have_count(0)  # only for .p12

    # Custom DNS: the action and server fields come with the box.
    page.locator("#group-dns summary").click()
    expect(w.field(f"{SOURCE}.customized_dns.dns_ip")).to_have_count(0)
    w.check(f"{SOURCE}.customized_dns.is_set_dns")
    assert w.options(f"{SOURCE}.customized_dns.set_dns_action") == [
        "add", "keep", "update", "recover"]
    w.field(f"{SOURCE}.customized_dns.set_dns_action").select_option("update")
    w.fill({f"{SOURCE}.customized_dns.dns_ip": "192.168.0.53"})
    w.next("Target endpoint")

    cloud_target(w)
    w.next("Network")
    drs_node_vpc(w)
    w.next("Billing")

    # Yearly/monthly: period, count and auto-renew appear; the count follows the period.
    for name in ("period_type", "period_num", "is_auto_renew"):
        expect(w.field(f"period_order.{name}")).to_have_count(0)
    w.choose("base_info.charging_mode", "period")
    expect(w.field("period_order.period_type")).to_have_value("2")
    assert w.options("period_order.period_num") == [str(n) for n in range(1, 10)]
    w.field("period_order.period_num").select_option("6")
    w.choose("period_order.period_type", "3")
    assert w.options("period_order.period_num") == ["1", "2", "3"]
    expect(w.field("period_order.period_num")).to_have_value("1")
    w.field("period_order.period_num").select_option("2")
    w.check("period_order.is_auto_renew")
    w.next("Node")

    # Primary/standby: two availability zones.
    expect(w.field("node_info.base_info.availability_zone.0")).to_have_count(0)
    w.field("node_info.spec.node_type").select_option("medium")
    w.choose("node_info.base_info.instance_type", "ha")
    expect(w.field("node_info.base_info.arch")).to_have_value("x86")
    expect(page.get_by_role("textbox", name="Availability zones 2")).to_be_visible()
    expect(w.field("node_info.base_info.availability_zone.2")).to_have_count(0)
    w.fill({"node_info.base_info.availability_zone.0": "cn-north-4a",
            "node_info.base_info.availability_zone.1": "cn-north-4b"})
    w.next("Review")
    # expired_days is not sent with yearly billing, where it has no effect: no R-42 warning
    expect(page.get_by_role("status").filter(has_text="(R-42)")).to_have_count(0)
    job_id = w.submit()

    answer = sandbox_job(sandbox_project, job_id)
    assert answer["base_info"]["charging_mode"] == "period"
    assert answer["period_order"] == {"period_type": 3, "period_num": 2, "is_auto_renew": 1}
    assert answer["node_info"]["base_info"] == {
        "instance_type": "ha", "arch": "x86", "availability_zone": "cn-north-4a,cn-north-4b"}
    assert answer["node_info"]["spec"] == {"node_type": "medium"}
    source = answer["source_endpoint"][0]
    assert source["ssl"] == {"ssl_link": True, "ssl_cert_name": "ca.pem",
                             "ssl_cert_check_sum": checksum}
    assert source["customized_dns"] == {"is_set_dns": True, "set_dns_action": "update",
                                        "dns_ip": "192.168.0.53"}

    # The certificate is a secret: neither DRS's answer nor any page the browser got holds it.
    content = base64.b64encode(PEM).decode()
    body_line = PEM.splitlines()[1].decode()
    assert content not in json.dumps(answer) and body_line not in json.dumps(answer)
    assert seen.containing(checksum), "the upload's re-render was not recorded"
    assert seen.containing(content) == [] and seen.containing(body_line) == []


def test_invalid_entries_are_shown_on_their_fields_and_corrected(wizard):
    w, page = wizard, wizard.page
    w.start("sync:mysql-to-mysql", "1x")
    w.fill({"base_info.expired_days": "5"})
    page.get_by_role("button", name="Next →").click()

    # Base info again, with both messages: in the summary (as links) and under each field.
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#step-title")).to_have_text("Base info")
    links = summary.get_by_role("link")
    expect(links).to_have_text(["Task name", "Stop abnormal task after"])
    expect(links.first).to_have_attribute("href", "#f-base_info-name")
    expect(summary).to_contain_text("Task name must be 4–50 characters")
    name = w.field("base_info.name")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_be_focused()  # the first field in error
    expect(field_error(w, "base_info.name")).to_contain_text("starting with a letter")
    expect(w.field("base_info.expired_days")).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_value("1x")  # what was typed is still there
    expect(w.field("base_info.expired_days")).to_have_value("5")

    w.fill({"base_info.name": "Orders-1", "base_info.expired_days": "30"})
    w.next("Source endpoint")

    self_built_source(w)
    w.fill({f"{SOURCE}.endpoint.db_port": "99999"})
    page.get_by_role("button", name="Next →").click()
    port = w.field(f"{SOURCE}.endpoint.db_port")
    expect(port).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#step-title")).to_have_text("Source endpoint")
    expect(summary.get_by_role("link")).to_have_text(["Port"])
    expect(summary.get_by_role("link")).to_have_attribute(
        "href", f"#f-{SOURCE.replace('.', '-')}-endpoint-db_port")
    expect(field_error(w, f"{SOURCE}.endpoint.db_port")).to_contain_text("from 1 to 65535")
    expect(port).to_be_focused()
    expect(port).to_have_value("99999")
    expect(w.field(f"{SOURCE}.endpoint.ip")).to_have_value("10.0.0.10")
    expect(w.field(f"{SOURCE}.endpoint.db_password")).to_have_attribute(
        "placeholder", "set — type to replace")  # kept, never sent back to the page
    expect(w.field(f"{SOURCE}.endpoint.ip")).not_to_have_attribute("aria-invalid", "true")

    port.fill("3306")
    w.next("Target endpoint")
    assert w.body()["job"]["source_endpoint"][0]["endpoint"]["db_port"] == "3306"
    assert w.body()["job"]["base_info"]["expired_days"] == "30"


def test_drs_refusal_links_back_to_the_field(wizard, sandbox_project, demo_user):
    """The sandbox refuses a second task of the same name (case-insensitive): the result page
    shows DRS's code and message and leads back to the name, with the draft intact."""
    w, page = wizard, wizard.page
    body = mysql_sync_body()
    body["job"]["base_info"]["name"] = "Orders-Copy"
    first = draft_from_body(owner=demo_user, body=body, project=sandbox_project)
    created = submission_create(draft=first, user=demo_user)
    assert wait_idle(timeout=30)  # sent by the pool's threads
    created.refresh_from_db()
    assert created.state == "created"

    mysql_sync_to_review(w, "orders-copy")
    code, message = w.submit_refused()
    assert code == "DRS.M0027700"
    assert "orders-copy already exists" in message
    fix = page.get_by_role("link", name="Fix it in Base info")
    expect(fix).to_have_attribute(
        "href", re.compile(r"/drafts/\d+/base/\?refused=\d+#f-base_info-name$"))
    fix.click()

    expect(page.locator("#step-title")).to_have_text("Base info")
    assert page.url.endswith("#f-base_info-name")
    name = page.locator("#f-base_info-name")
    expect(name).to_be_visible()
    expect(name).to_have_value("orders-copy")
    expect(name).to_have_attribute("aria-invalid", "true")  # DRS's message on the field
    expect(field_error(w, "base_info.name")).to_contain_text("orders-copy already exists")
    expect(w.field("base_info.engine_type")).to_have_value("sync:mysql-to-mysql")

    # The draft is as it was: every step still holds what was typed.
    name.fill("Orders-Copy-2")
    w.next("Source endpoint")
    expect(w.field(f"{SOURCE}.endpoint.ip")).to_have_value("10.0.0.10")
    expect(w.field(f"{SOURCE}.endpoint.db_password")).to_have_attribute(
        "placeholder", "set — type to replace")
    w.next("Target endpoint")
    expect(w.field(f"{TARGET}.endpoint.instance_id")).to_have_value(INSTANCE)
    w.next("Network")
    expect(w.field("node_info.vpc.vpc_id")).to_have_value(VPC["vpc_id"])
    w.next("Billing")
    w.next("Node")
    w.next("Review")
    job_id = w.submit()
    assert sandbox_job(sandbox_project, job_id)["name"] == "Orders-Copy-2"


def test_update_button_without_javascript(browser, live_server, demo_user, sandbox_project):
    """No JavaScript: "Update" re-renders after a deciding field changed; nothing typed is lost."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        w = Wizard(page, live_server, javascript=False)
        w.login()
        w.new_task()
        update = page.get_by_role("button", name="Update", exact=True)
        expect(update).to_be_visible()
        expect(w.field("base_info.is_open_fast_clean")).to_have_count(0)

        w.field("base_info.engine_type").select_option("sync:mysql-to-mysql")
        w.fill({"base_info.name": "No-Script-1"})
        w.press("Update")
        expect(w.field("base_info.is_open_fast_clean")).to_be_visible()
        expect(w.field("base_info.name")).to_have_value("No-Script-1")
        w.next("Source endpoint")

        self_built_source(w, password="no-js-pw")
        expect(w.field(f"{SOURCE}.vpc.vpc_id")).to_be_hidden()  # More fields
        w.field(f"{SOURCE}.endpoint_type").select_option("ecs")
        w.press("Update")
        expect(w.field(f"{SOURCE}.vpc.vpc_id")).to_be_visible()
        expect(w.field(f"{SOURCE}.cloud.region")).to_be_visible()
        expect(w.field(f"{SOURCE}.endpoint_type")).to_have_value("ecs")
        expect(w.field(f"{SOURCE}.endpoint.ip")).to_have_value("10.0.0.10")
        expect(w.field(f"{SOURCE}.endpoint.db_port")).to_have_value("3306")
        expect(w.field(f"{SOURCE}.endpoint.db_user")).to_have_value("root")
        expect(w.field(f"{SOURCE}.endpoint.db_password")).to_have_attribute(
            "placeholder", "set — type to replace")
        assert w.body()["job"]["source_endpoint"][0]["endpoint"]["endpoint_name"] == "ecs_mysql"

        w.fill({
            f"{SOURCE}.cloud.region": "cn-north-4",
            f"{SOURCE}.cloud.project_id": PROJECT,
            f"{SOURCE}.vpc.vpc_id": VPC["vpc_id"],
            f"{SOURCE}.vpc.subnet_id": VPC["subnet_id"],
        })
        w.next("Target endpoint")
        w.page.get_by_role("button", name="Back").click()
        expect(page.locator("#step-title")).to_have_text("Source endpoint")
        expect(w.field(f"{SOURCE}.vpc.subnet_id")).to_have_value(VPC["subnet_id"])
        expect(w.field(f"{SOURCE}.endpoint.ip")).to_have_value("10.0.0.10")
    finally:
        context.close()


def test_keyboard_enter_is_next_and_focus_stays_where_the_person_is(wizard):
    """Enter in a field submits the step as Next (not a progress-bar link); after a re-render
    focus is where the person was: the new row after "Add", the checkbox just untoggled."""
    w, page = wizard, wizard.page
    w.start("sync:mysql-to-mysql", "Keys-1")
    w.field("base_info.name").press("Enter")
    expect(page.locator("#step-title")).to_have_text("Source endpoint")

    self_built_source(w)
    page.locator("#group-shards summary").click()
    w._rerender(lambda: page.get_by_role("button", name="Add shard", exact=True).press("Enter"))
    expect(w.field(f"{SOURCE}.endpoint.source_sharding.0.ip")).to_be_focused()
    page.keyboard.type("10.0.0.21")
    w.page.keyboard.press("Tab")
    page.keyboard.type("3306")

    page.locator("#group-ssl summary").click()
    ssl = w.field(f"{SOURCE}.ssl.ssl_link")
    w._rerender(lambda: ssl.press("Space"))
    expect(ssl).to_be_checked()
    w._rerender(lambda: ssl.press("Space"))
    expect(ssl).to_be_focused()  # its section stays open around it
    expect(ssl).not_to_be_checked()

    w.fill({f"{SOURCE}.endpoint.source_sharding.0.db_user": "shard",
            f"{SOURCE}.endpoint.source_sharding.0.db_password": "shard-pw"})
    w.field(f"{SOURCE}.endpoint.db_user").press("Enter")
    expect(page.locator("#step-title")).to_have_text("Target endpoint")
    assert w.body()["job"]["source_endpoint"][0]["endpoint"]["source_sharding"] == [
        {"ip": "10.0.0.21", "db_port": "3306", "db_user": "shard", "db_password": "******",
         "endpoint_name": "mysql"}]


def test_the_json_panel_follows_typing_and_masks_a_typed_password(wizard):
    """A pause in typing updates the panel (no button pressed); a typed password shows as
    ******, also in the draft once autosaved; after the session's end typing leads to the
    login page. (That the preview itself saves nothing: test_wizard_views.)"""
    w, page = wizard, wizard.page
    w.start("sync:mysql-to-mysql", "Typing-1")
    w.next("Source endpoint")
    self_built_source(w)
    seen = SeenPages(page)
    w.field(f"{SOURCE}.endpoint.ip").fill("10.9.8.7")
    w.field(f"{SOURCE}.endpoint.db_password").fill("typed-Secret-77")
    panel = page.locator("#json-body")
    expect(panel).to_contain_text('"ip": "10.9.8.7"')
    expect(panel).to_contain_text('"db_password": "******"')
    assert seen.containing("typed-Secret-77") == []
    draft = Draft.objects.get(pk=re.search(r"/drafts/(\d+)/", page.url).group(1))
    assert "typed-Secret-77" not in json.dumps(draft.body)  # autosaved or not

    # After the session's end the preview is answered by a redirect to the login page: the
    # page goes there (HX-Redirect), the login form is not put into the panel.
    page.context.clear_cookies(name="sessionid")
    w.field(f"{SOURCE}.endpoint.db_user").fill("typed after the end")
    expect(page).to_have_url(re.compile(r"/login/\?next=/drafts/\d+/source/$"))
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.locator("#json-body")).to_have_count(0)
