"""Typing things once, in a browser: a cloud target shows the project's region and project
id already filled in, "Same as target" gives the DRS node the target's VPC, and the task
reaches the sandbox with them."""

import pytest
from browser_helpers import sandbox_job
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET = "target_endpoint.0"
TARGET_VPC = {"vpc_id": "2cb5d364-ae63-4fbb-85b7-7d59f4a88f8f",
              "subnet_id": "2cb54324-ae63-4fbb-85b7-7d59f4a88f8f"}


def test_region_project_and_node_vpc_are_typed_once(wizard, sandbox_project):
    w = wizard
    w.start("migration:mysql-to-mysql", "Prefill-1")
    w.next("Source endpoint")
    w.fill({"source_endpoint.0.endpoint.ip": "192.168.0.7",
            "source_endpoint.0.endpoint.db_port": "3306",
            "source_endpoint.0.endpoint.db_user": "root",
            "source_endpoint.0.endpoint.db_password": "offline-source-pw"})
    w.next("Target endpoint")

    # Into the cloud: the target is a cloud instance, in the chosen project's region.
    expect(w.field(f"{TARGET}.cloud.region")).to_have_value("cn-north-4")
    expect(w.field(f"{TARGET}.cloud.project_id")).to_have_value(sandbox_project.project_id)
    assert w.body()["job"]["target_endpoint"][0]["cloud"] == {
        "region": "cn-north-4", "project_id": sandbox_project.project_id}
    w.fill({f"{TARGET}.endpoint.instance_id": "c2c7579bc09c490b9d8009db715aeb0ain14",
            f"{TARGET}.endpoint.db_user": "root",
            f"{TARGET}.endpoint.db_password": "rds-target-pw",
            f"{TARGET}.vpc.vpc_id": TARGET_VPC["vpc_id"],
            f"{TARGET}.vpc.subnet_id": TARGET_VPC["subnet_id"]})
    w.next("Network")

    w.choose("base_info.net_type", "vpc")
    expect(w.field("node_info.vpc.vpc_id")).to_have_value("")
    w.press("Same as target")
    expect(w.field("node_info.vpc.vpc_id")).to_have_value(TARGET_VPC["vpc_id"])
    expect(w.field("node_info.vpc.subnet_id")).to_have_value(TARGET_VPC["subnet_id"])
    assert w.body()["job"]["node_info"]["vpc"] == TARGET_VPC
    w.next("Billing")
    w.next("Node")
    w.next("Review")
    job_id = w.submit()

    job = sandbox_job(sandbox_project, job_id)
    target = job["target_endpoint"][0]
    assert target["cloud"] == {"region": "cn-north-4", "project_id": sandbox_project.project_id}
    assert target["vpc"] == TARGET_VPC
    assert job["node_info"]["vpc"] == TARGET_VPC
