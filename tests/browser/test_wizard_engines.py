"""One task per scenario besides the API page's Oracle example, entered field by field in a
browser and created at the sandbox: what the person sees on the way, and what DRS received."""

import pytest
from browser_helpers import sandbox_job
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "9dc8c0f3f74c4dbb23c29cf0318ee561"
INSTANCE = "c2c7579bc09c490b9d8009db715aeb0ain14"
SHARDS = "source_endpoint.0.endpoint.source_sharding"
VPC = {"vpc_id": "2cb5d364-ae63-4fbb-85b7-7d59f4a88f8f",
       "subnet_id": "2cb54324-ae63-4fbb-85b7-7d59f4a88f8f"}


def cloud_instance(w, side: str, password: str):
    """A Huawei Cloud DB instance on `side` ("source_endpoint.0" or "target_endpoint.0")."""
    w.fill({
        f"{side}.endpoint.instance_id": INSTANCE,
        f"{side}.endpoint.db_user": "root",
        f"{side}.endpoint.db_password": password,
        f"{side}.cloud.region": "cn-north-4",
        f"{side}.cloud.project_id": PROJECT,
    })


def drs_node_network(w, net_type: str):
    w.choose("base_info.net_type", net_type)
    w.fill({"node_info.vpc.vpc_id": VPC["vpc_id"], "node_info.vpc.subnet_id": VPC["subnet_id"]})


def review_row(page, label: str):
    return page.locator("table.summary tr").filter(
        has=page.get_by_role("rowheader", name=label)).locator("td")


def endpoint(job: dict, side: str) -> dict:
    entries = job[f"{side}_endpoint"]
    assert len(entries) == 1
    return entries[0]


def test_mysql_sync_out_of_the_cloud(wizard, sandbox_project):
    """Sync, direction down: the source can only be a cloud instance, the target is self-built."""
    w, page = wizard, wizard.page
    w.start("sync:mysql-to-mysql", "Mysql-Down-1")
    assert w.options("base_info.job_direction") == ["up", "down", "non-dbs"]
    w.choose("base_info.job_direction", "down")
    w.check("base_info.is_open_fast_clean")
    w.field("base_info.task_type").select_option("INCR_TRANS")
    w.next("Source endpoint")

    # Out of the cloud: the source is an RDS instance, offered as the only choice.
    expect(page.locator("#f-source_endpoint-0-endpoint_type")).to_have_value(
        "Huawei Cloud DB instance")
    expect(w.field("source_endpoint.0.endpoint.ip")).to_be_hidden()  # More fields
    cloud_instance(w, "source_endpoint.0", "rds-source-pw")
    w.next("Target endpoint")

    assert w.options("target_endpoint.0.endpoint_type") == ["offline", "ecs", "cloud"]
    expect(w.field("target_endpoint.0.endpoint_type")).to_have_value("offline")
    expect(w.field("target_endpoint.0.endpoint.instance_id")).to_be_hidden()  # More fields
    w.fill({
        "target_endpoint.0.endpoint.ip": "192.168.10.20",
        "target_endpoint.0.endpoint.db_port": "3307",
        "target_endpoint.0.endpoint.db_user": "replica",
        "target_endpoint.0.endpoint.db_password": "offline-target-pw",
    })
    w.next("Network")

    drs_node_network(w, "vpn")
    w.next("Billing")
    w.next("Node")
    assert w.options("node_info.spec.node_type") == ["micro", "small", "medium", "high"]
    w.field("node_info.spec.node_type").select_option("small")
    w.next("Review")

    expect(review_row(page, "Direction")).to_have_text("Out of the cloud")
    expect(review_row(page, "Network type")).to_have_text("VPN or Direct Connect")
    job_id = w.submit()

    job = sandbox_job(sandbox_project, job_id)
    assert job["name"] == "Mysql-Down-1"
    base = job["base_info"]
    assert (base["job_type"], base["engine_type"], base["job_direction"]) == (
        "sync", "mysql-to-mysql", "down")
    assert (base["task_type"], base["net_type"], base["is_open_fast_clean"]) == (
        "INCR_TRANS", "vpn", True)
    source, target = endpoint(job, "source"), endpoint(job, "target")
    assert (source["db_type"], source["endpoint_type"], source["endpoint_role"]) == (
        "mysql", "cloud", "so")
    assert source["endpoint"] == {"endpoint_name": "cloud_mysql", "instance_id": INSTANCE,
                                  "db_user": "root"}  # R-23; the password removed by DRS
    assert source["cloud"] == {"region": "cn-north-4", "project_id": PROJECT}
    assert (target["db_type"], target["endpoint_type"], target["endpoint_role"]) == (
        "mysql", "offline", "ta")
    assert target["endpoint"] == {"endpoint_name": "mysql", "ip": "192.168.10.20",
                                  "db_port": "3307", "db_user": "replica"}
    assert target["ssl"] == {"ssl_link": False}
    assert job["node_info"] == {"spec": {"node_type": "small"}, "vpc": VPC}
    assert "period_order" not in job and base["charging_mode"] == "on_demand"


def test_mysql_migration_from_ecs_needs_a_high_node(wizard, sandbox_project):
    """Migration into the cloud from MySQL on an ECS; the read-only target is the person's
    choice; the DRS node can only be high (R-51)."""
    w, page = wizard, wizard.page
    w.start("migration:mysql-to-mysql", "Mysql-Migrate-1")
    expect(w.field("base_info.job_direction")).to_have_value("up")
    expect(w.field("base_info.multi_write")).to_have_count(0)  # DR only
    w.field("base_info.task_type").select_option("FULL_TRANS")
    w.next("Source endpoint")

    # Self-built on ECS: the region, project and VPC fields come with it.
    expect(w.field("source_endpoint.0.vpc.vpc_id")).to_be_hidden()  # More fields
    w.choose("source_endpoint.0.endpoint_type", "ecs")
    w.fill({
        "source_endpoint.0.endpoint.ip": "10.0.0.10",
        "source_endpoint.0.endpoint.db_port": "3306",
        "source_endpoint.0.endpoint.db_user": "root",
        "source_endpoint.0.endpoint.db_password": "ecs-source-pw",
        "source_endpoint.0.cloud.region": "cn-north-4",
        "source_endpoint.0.cloud.project_id": PROJECT,
        "source_endpoint.0.vpc.vpc_id": VPC["vpc_id"],
        "source_endpoint.0.vpc.subnet_id": VPC["subnet_id"],
    })
    # Two physical shards behind it; the first is removed again, the second keeps
    # the password typed for it.
    page.locator("#group-shards summary").click()
    w.press("Add shard")
    w.fill({f"{SHARDS}.0.ip": "10.0.0.11", f"{SHARDS}.0.db_port": "3306",
            f"{SHARDS}.0.db_user": "shard", f"{SHARDS}.0.db_password": "shard-pw-1"})
    w.press("Add shard")
    w.fill({f"{SHARDS}.1.ip": "10.0.0.12", f"{SHARDS}.1.db_port": "3307",
            f"{SHARDS}.1.db_user": "shard", f"{SHARDS}.1.db_password": "shard-pw-2"})
    w.press("Remove Shard 1")
    expect(w.field(f"{SHARDS}.0.ip")).to_have_value("10.0.0.12")
    expect(w.field(f"{SHARDS}.1.ip")).to_have_count(0)
    expect(w.field(f"{SHARDS}.0.db_password")).to_have_attribute(
        "placeholder", "set — type to replace")
    assert w.body()["job"]["source_endpoint"][0]["endpoint"]["source_sharding"] == [
        {"ip": "10.0.0.12", "db_port": "3307", "db_user": "shard", "endpoint_name": "ecs_mysql",
         "db_password": "******"}]
    w.next("Target endpoint")

    expect(page.locator("#f-target_endpoint-0-endpoint_type")).to_have_value(
        "Huawei Cloud DB instance")
    readonly = w.field("target_endpoint.0.config.is_target_readonly")
    expect(readonly).to_be_checked()  # R-30's default
    w.check("target_endpoint.0.config.is_target_readonly", False)
    cloud_instance(w, "target_endpoint.0", "rds-target-pw")
    w.next("Network")

    assert w.options("base_info.net_type") == ["eip", "vpc", "vpn"]
    drs_node_network(w, "vpc")
    w.next("Billing")
    w.next("Node")
    # the only size offered, shown rather than chosen.
    expect(page.locator("#f-node_info-spec-node_type")).to_have_value("High (large)")
    w.next("Review")

    expect(review_row(page, "Set target read-only")).to_have_text("No")
    expect(review_row(page, "Shard")).to_have_text("10.0.0.12, 3307, shard, ******")
    job_id = w.submit()

    job = sandbox_job(sandbox_project, job_id)
    base = job["base_info"]
    assert (base["job_type"], base["job_direction"], base["task_type"], base["net_type"]) == (
        "migration", "up", "FULL_TRANS", "vpc")
    assert "multi_write" not in base
    source, target = endpoint(job, "source"), endpoint(job, "target")
    assert (source["endpoint_type"], source["endpoint"]["endpoint_name"]) == ("ecs", "ecs_mysql")
    assert source["cloud"] == {"region": "cn-north-4", "project_id": PROJECT}
    assert source["vpc"] == VPC
    # The shard's password reached DRS (R-29 refuses an entry without one) and was removed.
    assert source["endpoint"]["source_sharding"] == [
        {"ip": "10.0.0.12", "db_port": "3307", "db_user": "shard", "endpoint_name": "ecs_mysql"}]
    assert (target["endpoint_type"], target["endpoint"]["endpoint_name"]) == (
        "cloud", "cloud_mysql")
    assert target["config"] == {"is_target_readonly": False}
    assert job["node_info"]["spec"] == {"node_type": "high"}


def test_mysql_disaster_recovery_dual_active(wizard, sandbox_project):
    """DR: single-active allows only full + incremental; dual-active opens every task type;
    the network offers no VPC (R-08)."""
    w, page = wizard, wizard.page
    w.start("cloudDataGuard:mysql-to-mysql", "Mysql-DR-1")

    # Single-active (the box unticked) allows only full + incremental.
    expect(w.field("base_info.multi_write")).not_to_be_checked()
    expect(page.locator("#f-base_info-task_type")).to_have_value("Full + incremental")
    w.check("base_info.multi_write")
    assert w.options("base_info.task_type") == ["FULL_TRANS", "INCR_TRANS", "FULL_INCR_TRANS"]
    w.field("base_info.task_type").select_option("INCR_TRANS")
    w.next("Source endpoint")

    w.fill({
        "source_endpoint.0.endpoint.ip": "primary.db.example.com",
        "source_endpoint.0.endpoint.db_port": "3306",
        "source_endpoint.0.endpoint.db_user": "dr_user",
        "source_endpoint.0.endpoint.db_password": "primary-pw",
    })
    w.next("Target endpoint")
    expect(w.field("target_endpoint.0.config.is_target_readonly")).to_be_checked()
    cloud_instance(w, "target_endpoint.0", "standby-pw")
    w.next("Network")

    assert w.options("base_info.net_type") == ["eip", "vpn"]
    drs_node_network(w, "eip")
    w.next("Billing")
    w.next("Node")
    expect(page.locator("#f-node_info-spec-node_type")).to_have_value("High (large)")
    w.next("Review")

    expect(review_row(page, "Dual-active")).to_have_text("Yes")
    expect(review_row(page, "Task type")).to_have_text("Incremental")
    job_id = w.submit()

    job = sandbox_job(sandbox_project, job_id)
    base = job["base_info"]
    assert (base["job_type"], base["multi_write"], base["task_type"], base["net_type"]) == (
        "cloudDataGuard", True, "INCR_TRANS", "eip")
    source, target = endpoint(job, "source"), endpoint(job, "target")
    assert source["endpoint"] == {"endpoint_name": "mysql", "ip": "primary.db.example.com",
                                  "db_port": "3306", "db_user": "dr_user"}
    assert target["endpoint"]["endpoint_name"] == "cloud_mysql"
    assert target["config"] == {"is_target_readonly": True}


def test_redis_to_geminidb_redis_migration(wizard, sandbox_project):
    """Redis with password-only AUTH into GeminiDB Redis: always into the cloud."""
    w, page = wizard, wizard.page
    w.start("migration:redis-to-gaussredis", "Redis-Move-1")
    expect(page.locator("#f-base_info-job_direction")).to_have_value("Into the cloud")
    expect(w.field("base_info.is_open_fast_clean")).to_have_count(0)  # MySQL only
    w.next("Source endpoint")

    assert w.options("source_endpoint.0.endpoint_type") == ["offline", "ecs"]
    w.fill({
        "source_endpoint.0.endpoint.ip": "10.0.2.7",
        "source_endpoint.0.endpoint.db_port": "6379",
        "source_endpoint.0.endpoint.db_password": "redis-auth-pw",
    })
    expect(w.field("source_endpoint.0.endpoint.db_user")).to_have_value("")
    w.next("Target endpoint")

    expect(page.locator("#f-target_endpoint-0-endpoint_type")).to_have_value(
        "Huawei Cloud DB instance")
    expect(w.field("target_endpoint.0.config.is_target_readonly")).to_have_count(0)
    cloud_instance(w, "target_endpoint.0", "gemini-pw")
    w.next("Network")
    drs_node_network(w, "eip")
    w.next("Billing")
    w.next("Node")
    expect(page.locator("#f-node_info-spec-node_type")).to_have_value("High (large)")
    w.next("Review")
    job_id = w.submit()

    job = sandbox_job(sandbox_project, job_id)
    base = job["base_info"]
    assert (base["job_type"], base["engine_type"], base["job_direction"]) == (
        "migration", "redis-to-gaussredis", "up")
    source, target = endpoint(job, "source"), endpoint(job, "target")
    assert (source["db_type"], source["endpoint_type"]) == ("redis", "offline")
    assert source["endpoint"] == {"endpoint_name": "redis", "ip": "10.0.2.7",
                                  "db_port": "6379", "db_user": ""}  # password-only
    assert (target["db_type"], target["endpoint_type"]) == ("gaussredis", "cloud")
    assert target["endpoint"]["endpoint_name"] == "cloud_gaussdb_redis"
    assert job["node_info"]["spec"] == {"node_type": "high"}


def test_redis_cluster_shards_and_subtasks(wizard, sandbox_project):
    """Redis Cluster: one row per shard, and no more subtasks than shards (R-31)."""
    w, page = wizard, wizard.page
    w.start("migration:rediscluster-to-gaussredis", "Redis-Cluster-1")
    w.next("Source endpoint")

    # The shards replace host and port: one row to start with, more with "Add a row".
    expect(w.field("source_endpoint.0.endpoint.db_port")).to_be_hidden()  # More fields
    shards = ["10.0.1.1:6379", "10.0.1.2:6379", "10.0.1.3:6380"]
    w.fill({"source_endpoint.0.endpoint.ip.0": shards[0]})
    for index in (1, 2):
        w.press("Add a row")
        w.fill({f"source_endpoint.0.endpoint.ip.{index}": shards[index]})
    expect(page.get_by_role("textbox", name="Shards 3")).to_have_value(shards[2])
    w.fill({
        "source_endpoint.0.endpoint.db_password": "cluster-auth-pw",
        "source_endpoint.0.config.node_num": "4",
    })
    page.get_by_role("button", name="Next →").click()
    subtasks = w.field("source_endpoint.0.config.node_num")
    expect(subtasks).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-source_endpoint-0-config-node_num-desc")).to_contain_text(
        "cannot exceed the number of shards listed in the source ip (3)")
    expect(page.locator("#error-summary")).to_contain_text("Subtasks")
    for index, shard in enumerate(shards):  # nothing typed was lost
        expect(w.field(f"source_endpoint.0.endpoint.ip.{index}")).to_have_value(shard)
    subtasks.fill("2")
    w.next("Target endpoint")

    cloud_instance(w, "target_endpoint.0", "gemini-pw")
    w.next("Network")
    drs_node_network(w, "eip")
    w.next("Billing")
    w.next("Node")
    w.next("Review")
    job_id = w.submit()

    job = sandbox_job(sandbox_project, job_id)
    assert job["base_info"]["engine_type"] == "rediscluster-to-gaussredis"
    source, target = endpoint(job, "source"), endpoint(job, "target")
    assert (source["db_type"], source["endpoint_type"]) == ("rediscluster", "offline")
    assert source["endpoint"] == {"endpoint_name": "rediscluster", "ip": ",".join(shards),
                                  "db_user": ""}  # no db_port for a cluster
    assert source["config"] == {"node_num": 2}
    assert target["endpoint"]["endpoint_name"] == "cloud_gaussdb_redis"
