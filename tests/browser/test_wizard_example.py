"""The API page's example task, entered field by field in a browser and sent to the sandbox."""

import json

import pytest
from browser_helpers import job_fields, sandbox_job, without_secrets
from playwright.sync_api import expect

from tests.contract.bodies import EXAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_oracle_example_reaches_the_sandbox_as_the_api_page_shows(wizard, sandbox_project):
    path = next(p for p in EXAMPLES if p.name == "seed-oracle-to-gaussdbv5.json")
    example = json.loads(path.read_text())
    w, page = wizard, wizard.page
    w.new_task()

    # 1 Base info
    w.field("project_id").select_option(label="Sandbox (cn-north-4)")
    expect(w.field("base_info.engine_type")).to_have_value("sync:oracle-to-gaussdbv5")
    expect(page.locator("#f-base_info-job_direction")).to_have_value("Into the cloud")
    w.fill({"base_info.name": "DRS-1234", "base_info.expired_days": "14"})  # sent as typed
    page.locator("#group-tags summary").click()
    w.press("Add tags")
    w.fill({"base_info.tags.0.key": "test", "base_info.tags.0.value": "test"})
    w.next("Source endpoint")

    # 2 Source: a self-built Oracle outside Huawei Cloud
    expect(w.field("source_endpoint.0.endpoint_type")).to_have_value("offline")
    w.fill({
        "source_endpoint.0.endpoint.ip": "10.154.217.239",
        "source_endpoint.0.endpoint.db_port": "1521",
        "source_endpoint.0.endpoint.db_name": "serviceName.orcl",
        "source_endpoint.0.endpoint.db_user": "ORACLE_USER",
        "source_endpoint.0.endpoint.db_password": "oracle-secret-pw",
    })
    w.next("Target endpoint")

    # 3 Target: a GaussDB instance in Huawei Cloud
    w.fill({
        "target_endpoint.0.endpoint.instance_id": "c2c7579bc09c490b9d8009db715aeb0ain14",
        "target_endpoint.0.endpoint.db_user": "root",
        "target_endpoint.0.endpoint.db_password": "gauss-secret-pw",
        "target_endpoint.0.cloud.region": "cn-north-4",
        "target_endpoint.0.cloud.project_id": "9dc8c0f3f74c4dbb23c29cf0318ee561",
        "target_endpoint.0.cloud.az_code": "cn-north-4a,cn-north-4c,cn-north-4g",
        "target_endpoint.0.vpc.vpc_id": "2cb5d364-ae63-4fbb-85b7-7d59f4a88f8f",
        "target_endpoint.0.vpc.subnet_id": "2cb54324-ae63-4fbb-85b7-7d59f4a88f8f",
        "target_endpoint.0.vpc.security_group_id": "039a3s89-665a-43e2-9b4f-bda7d9ee148d",
    })
    w.next("Network")

    # 4 Network: public network
    w.choose("base_info.net_type", "eip")
    w.fill({
        "node_info.vpc.vpc_id": "2cb5d364-ae63-4fbb-85b7-7d59f4a88f8f",
        "node_info.vpc.subnet_id": "2cb54324-ae63-4fbb-85b7-7d59f4a88f8f",
    })
    w.next("Billing")

    # 5 Billing: pay-per-use
    expect(w.field("base_info.charging_mode")).to_have_value("on_demand")
    w.next("Node")

    # 6 Node
    w.field("node_info.spec.node_type").select_option("medium")
    w.next("Review")

    # 7 Review: the JSON shown is the example, secrets masked
    shown = w.body()
    assert shown["job"]["source_endpoint"][0]["endpoint"]["db_password"] == "******"
    assert "oracle-secret-pw" not in page.content()
    assert "gauss-secret-pw" not in page.content()
    job_id = w.submit()

    stored = sandbox_job(sandbox_project, job_id)
    assert job_fields(stored) == without_secrets(example)["job"]
    assert stored["status"] in ("CREATING", "CONFIGURATION")
    expect(page.locator("#drs-status")).to_have_text("CONFIGURATION", timeout=10_000)
