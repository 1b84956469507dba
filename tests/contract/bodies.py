"""Valid create-job bodies, one per scenario, for tests across the project.

Every function returns a fresh deep copy: mutate it freely. EXAMPLES are the API page's two
example bodies and the body Terraform's huaweicloud_drs_job_v5 sends for its documented example
(../shared/examples next to the repository, or the copies kept here).
"""

import copy
import json
from pathlib import Path

from drsui.contract import delete_path, set_path

_HERE = Path(__file__).resolve().parent


def _examples_dir():
    for parent in _HERE.parents:
        candidate = parent / "shared" / "examples"
        if list(candidate.glob("*.json")):
            return candidate
    return _HERE / "examples"  # copies, for a checkout without ../shared


EXAMPLES = sorted(_examples_dir().glob("*.json"))
VENDORED_EXAMPLES = sorted((_HERE / "examples").glob("*.json"))

PROJECT = "9dc8c0f3f74c4dbb23c29cf0318ee561"
VPC = {
    "vpc_id": "2cb5d364-ae63-4fbb-85b7-7d59f4a88f8f",
    "subnet_id": "2cb54324-ae63-4fbb-85b7-7d59f4a88f8f",
}
CLOUD = {"region": "cn-north-4", "project_id": PROJECT}
CERT_BASE64 = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUI=\n"


def _base(job_type, engine_type, **extra):
    return {
        "name": "drs-task-1",
        "job_type": job_type,
        "engine_type": engine_type,
        "job_direction": "up",
        "task_type": "FULL_INCR_TRANS",
        "net_type": "eip",
        "charging_mode": "on_demand",
        "enterprise_project_id": "0",
        "expired_days": "14",
        **extra,
    }


def _offline(db_type, role, ip="10.0.0.10", port="3306", user="root", **extra):
    endpoint = {"endpoint_name": db_type, "ip": ip, "db_user": user, "db_password": "s3cret-1"}
    if port is not None:
        endpoint["db_port"] = port
    return {
        "db_type": db_type,
        "endpoint_type": "offline",
        "endpoint_role": role,
        "endpoint": endpoint,
        **extra,
    }


def _cloud(db_type, name, role, **extra):
    return {
        "db_type": db_type,
        "endpoint_type": "cloud",
        "endpoint_role": role,
        "endpoint": {
            "endpoint_name": name,
            "instance_id": "c2c7579bc09c490b9d8009db715aeb0ain14",
            "db_user": "root",
            "db_password": "s3cret-2",
        },
        "cloud": dict(CLOUD),
        **extra,
    }


def _node(node_type="high", **extra):
    return {"spec": {"node_type": node_type}, "vpc": dict(VPC), **extra}


def _job(base, source, target, node, **extra):
    return copy.deepcopy(
        {
            "job": {
                "base_info": base,
                "source_endpoint": [source],
                "target_endpoint": [target],
                "node_info": node,
                **extra,
            }
        }
    )


def example_body(index=0):
    """The API page's example (index 0: without public_ip_list, 1: with it)."""
    by_name = {path.name: path for path in EXAMPLES}
    name = ("seed-oracle-to-gaussdbv5.json", "seed-oracle-to-gaussdbv5-with-eip.json")[index]
    return json.loads(by_name[name].read_text())


def terraform_body():
    """What huaweicloud_drs_job_v5 sends for the example in its documentation: MySQL cloud ->
    cloud sync, with multi_write and is_open_fast_clean false, and ip/db_port/db_name/ssl on
    cloud endpoints (docs/resources/drs_job_v5.md; the body as buildDrsJobV5BodyParams builds it).
    """
    by_name = {path.name: path for path in EXAMPLES}
    return json.loads(by_name["terraform-example-as-sent.json"].read_text())


def oracle_body():
    """Oracle (self-built) → GaussDB Distributed, sync, up, public network."""
    return _job(
        _base("sync", "oracle-to-gaussdbv5", tags=[{"key": "test", "value": "test"}]),
        _offline("oracle", "so", port="1521", user="ORACLE_USER", ssl={"ssl_link": False}),
        _cloud("gaussdbv5", "cloud_gaussdbv5", "ta", vpc=dict(VPC)),
        _node("medium"),
    )


def mysql_sync_body():
    """MySQL (self-built) → RDS for MySQL, sync, up, VPN."""
    return _job(
        _base("sync", "mysql-to-mysql", net_type="vpn", is_open_fast_clean=True),
        _offline("mysql", "so"),
        _cloud("mysql", "cloud_mysql", "ta"),
        _node("small"),
    )


def mysql_migration_body():
    """MySQL on ECS → RDS for MySQL, migration, up, VPC network, read-only target."""
    source = _offline("mysql", "so", cloud=dict(CLOUD), vpc=dict(VPC))
    source["endpoint_type"] = "ecs"
    source["endpoint"]["endpoint_name"] = "ecs_mysql"
    return _job(
        _base("migration", "mysql-to-mysql", net_type="vpc", task_type="FULL_TRANS"),
        source,
        _cloud("mysql", "cloud_mysql", "ta", config={"is_target_readonly": True}),
        _node(),
    )


def mysql_dr_body():
    """MySQL DR, single-active, this cloud standby (up), public network."""
    return _job(
        _base("cloudDataGuard", "mysql-to-mysql", multi_write=False),
        _offline("mysql", "so"),
        _cloud("mysql", "cloud_mysql", "ta", config={"is_target_readonly": True}),
        _node(),
    )


def redis_body():
    """Redis (self-built, password-only AUTH) → GeminiDB Redis, migration."""
    return _job(
        _base("migration", "redis-to-gaussredis", task_type="FULL_INCR_TRANS"),
        _offline("redis", "so", port="6379", user=""),
        _cloud("gaussredis", "cloud_gaussdb_redis", "ta"),
        _node(),
    )


def rediscluster_body():
    """Redis Cluster with four shards → GeminiDB Redis, two subtasks."""
    shards = ",".join(f"10.0.1.{n}:6379" for n in range(1, 5))
    return _job(
        _base("migration", "rediscluster-to-gaussredis"),
        _offline("rediscluster", "so", ip=shards, port=None, user="", config={"node_num": 2}),
        _cloud("gaussredis", "cloud_gaussdb_redis", "ta"),
        _node(),
    )


def period_body():
    """mysql_sync_body billed monthly: six months, no auto-renewal."""
    body = mysql_sync_body()
    base = body["job"]["base_info"]
    base["charging_mode"] = "period"
    del base["expired_days"]
    body["job"]["period_order"] = {"period_type": 2, "period_num": 6, "is_auto_renew": 0}
    return body


def full_body():
    """MySQL sync using every optional part: tags, SSL, DNS, sharding, ha node, two EIPs."""
    body = mysql_sync_body()
    job = body["job"]
    job["base_info"].update(
        net_type="eip",
        description="nightly copy of orders",
        start_time="1684466549755",
        tags=[{"key": "team", "value": "dba"}, {"key": "环境", "value": "生产"}],
    )
    source = job["source_endpoint"][0]
    source["ssl"] = {
        "ssl_link": True,
        "ssl_cert_name": "ca.pem",
        "ssl_cert_key": CERT_BASE64,
        "ssl_cert_check_sum": "5e884898da28047151d0e56f8dc62927",
    }
    source["customized_dns"] = {
        "is_set_dns": True,
        "set_dns_action": "add",
        "dns_ip": "192.168.0.53",
    }
    source["endpoint"]["source_sharding"] = [
        {
            "endpoint_name": "mysql",
            "ip": "10.0.0.11",
            "db_port": "3306",
            "db_user": "root",
            "db_password": "shard-secret-1",
        },
    ]
    target = job["target_endpoint"][0]
    target["ssl"] = {
        "ssl_link": True,
        "ssl_cert_name": "client.p12",
        "ssl_cert_key": CERT_BASE64,
        "ssl_cert_password": "p12-secret",
    }
    job["node_info"]["vpc"]["custom_node_ip"] = "192.168.0.10,192.168.0.11"
    job["node_info"]["base_info"] = {
        "instance_type": "ha",
        "arch": "x86",
        "availability_zone": "cn-north-4a,cn-north-4b",
    }
    job["public_ip_list"] = [
        {
            "id": "018d9e56-26d5-455a-97dc-e6f5f44a2cbd",
            "public_ip": "203.0.113.10",
            "type": "master",
        },
        {
            "id": "118d9e56-26d5-455a-97dc-e6f5f44a2cbd",
            "public_ip": "203.0.113.11",
            "type": "slave",
        },
    ]
    return body


VALID_BODIES = {
    "oracle": oracle_body,
    "mysql_sync": mysql_sync_body,
    "mysql_migration": mysql_migration_body,
    "mysql_dr": mysql_dr_body,
    "redis": redis_body,
    "rediscluster": rediscluster_body,
    "period": period_body,
    "full": full_body,
}

# Every secret value the bodies above carry, for "never shown" assertions.
SECRET_VALUES = ("s3cret-1", "s3cret-2", "shard-secret-1", "p12-secret", CERT_BASE64)


DELETE = object()


def edited(make, edits):
    """make() with each edit applied: {path inside job: new value, or DELETE}."""
    body = make()
    for path, value in edits.items():
        if value is DELETE:
            assert delete_path(body["job"], path), path
        else:
            set_path(body["job"], path, value)
    return body


SRC = "source_endpoint.0"
TGT = "target_endpoint.0"
# Edits that turn mysql_sync_body's cloud target into a self-built one, and its source into a
# cloud instance.
TARGET_OFFLINE = {
    f"{TGT}.endpoint_type": "offline",
    f"{TGT}.endpoint.endpoint_name": "mysql",
    f"{TGT}.endpoint.ip": "10.0.0.20",
    f"{TGT}.endpoint.db_port": "3306",
}
SOURCE_CLOUD = {
    f"{SRC}.endpoint_type": "cloud",
    f"{SRC}.endpoint.endpoint_name": "cloud_mysql",
    f"{SRC}.endpoint.instance_id": "a1b2c3in01",
    f"{SRC}.cloud": CLOUD,
}
