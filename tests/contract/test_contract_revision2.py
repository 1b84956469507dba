"""Contract revision 2 (create-job-reference.md, "Fidelity"): for each relaxed rule, what is now
accepted and what is still refused; and the fields the API accepts where the console does not
ask for them."""

import pytest

from drsui.contract import validate
from tests.contract.bodies import (
    CLOUD,
    DELETE,
    SOURCE_CLOUD,
    SRC,
    TARGET_OFFLINE,
    TGT,
    VPC,
    edited,
    mysql_dr_body,
    mysql_migration_body,
    mysql_sync_body,
    oracle_body,
    redis_body,
    rediscluster_body,
    terraform_body,
)

DNS = f"{SRC}.customized_dns"


def dns(action, ip):
    return {DNS: {"is_set_dns": True, "set_dns_action": action, "dns_ip": ip}}


def case(rule, make, edits, expected=()):
    shown = ",".join(f"{k}={'DELETE' if v is DELETE else repr(v)}"[:50] for k, v in edits.items())
    return pytest.param(make, edits, list(expected), id=f"{rule}-{make.__name__}-{shown}"[:120])


# fmt: off
ACCEPTED = [
    # tag values take spaces and _ . : / = + - @; keys and values letters of any script
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "version", "value": "v1.0"}]}),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "team", "value": "team a"}]}),
    case("R-04", mysql_sync_body, {"base_info.tags": [
        {"key": "owner", "value": "dba@example.com"},
        {"key": "path", "value": "a:b/c=d+e-f_g.h"},
        {"key": "環境-1_x", "value": "生产 环境"},
        {"key": "k" * 36, "value": "v " * 21 + "v"},
    ]}),
    # multi_write false on every job type; true or false on DR
    case("R-07", mysql_sync_body, {"base_info.multi_write": False}),
    case("R-07", mysql_migration_body, {"base_info.multi_write": False}),
    case("R-07", redis_body, {"base_info.multi_write": False}),
    case("R-07", oracle_body, {"base_info.multi_write": False}),
    case("R-07", mysql_dr_body, {"base_info.multi_write": True}),
    # is_open_fast_clean false on every engine; true on MySQL
    case("R-09", oracle_body, {"base_info.is_open_fast_clean": False}),
    case("R-09", redis_body, {"base_info.is_open_fast_clean": False}),
    case("R-09", rediscluster_body, {"base_info.is_open_fast_clean": False}),
    case("R-09", mysql_dr_body, {"base_info.is_open_fast_clean": True}),
    # null means not set
    case("R-11", mysql_sync_body, {"base_info.enterprise_project_id": None}),
    case("R-11", mysql_sync_body, {"base_info.enterprise_project_id": DELETE}),
    # false in any config block, source or target; true where it applies
    case("R-30", rediscluster_body, {f"{TGT}.config": {"is_target_readonly": False}}),
    case("R-30", redis_body, {f"{TGT}.config": {"is_target_readonly": False}}),
    case("R-30", oracle_body, {f"{TGT}.config": {"is_target_readonly": False}}),
    case("R-30", mysql_sync_body, {f"{TGT}.config": {"is_target_readonly": False}}),
    case("R-30", mysql_sync_body, {f"{SRC}.config": {"is_target_readonly": False}}),
    case("R-30", rediscluster_body, {f"{SRC}.config.is_target_readonly": False}),
    case("R-30", mysql_migration_body, {f"{TGT}.config.is_target_readonly": False}),
    case("R-30", mysql_dr_body, {"base_info.multi_write": True,
                                 f"{TGT}.config.is_target_readonly": False}),
    case("R-30", mysql_dr_body, {f"{TGT}.config": DELETE}),  # left out: true by default
    # single-active DR with this cloud primary (down): the target is not read-only there
    case("R-30", mysql_dr_body, {"base_info.job_direction": "down", **TARGET_OFFLINE,
                                 **SOURCE_CLOUD, f"{TGT}.config.is_target_readonly": False}),
    # dns_ip "" for keep and recover; an IPv4 address for every action
    case("R-33", mysql_sync_body, dns("keep", "")),
    case("R-33", mysql_sync_body, dns("recover", "")),
    case("R-33", mysql_sync_body, dns("keep", "192.168.0.53")),
    case("R-33", mysql_sync_body, dns("update", "10.1.2.3")),
    case("R-33", mysql_sync_body, {**dns("keep", ""), f"{DNS}.is_set_dns": False}),
    # node_info.vpc optional when both endpoints are cloud
    case("R-52", mysql_sync_body, {**SOURCE_CLOUD, "node_info.vpc": DELETE}),
    case("R-52", mysql_sync_body, {**SOURCE_CLOUD}),
    case("R-52", terraform_body, {"node_info.vpc": DELETE}),
    # Fidelity: every field of the SDK's request model is known
    case("SDK", mysql_sync_body, {f"{SRC}.endpoint.id": "0a1b2c3d", f"{TGT}.endpoint.id": "e4f5",
                                  f"{SRC}.endpoint.instance_name": "orders-db",
                                  f"{TGT}.endpoint.instance_name": "rds-orders"}),
    case("SDK", mysql_sync_body, {f"{SRC}.endpoint.source_sharding": [
        {"id": "s1", "instance_name": "shard-1", "endpoint_name": "mysql", "ip": "10.0.0.11",
         "db_port": "3306", "db_user": "root", "db_password": "p"}]}),
    case("SDK", mysql_sync_body, {"node_info.base_info": {
        "instance_type": "single", "arch": "x86", "availability_zone": "cn-north-4a",
        "status": "ACTIVE", "role": "master"}}),
    case("SDK", mysql_sync_body, {"node_info.vpc.security_group_id": "sg-1"}),
    # Fidelity: fields the console does not ask for in this context
    case("cloud+ip", mysql_sync_body, {f"{TGT}.endpoint.ip": "192.168.0.105"}),
    case("cloud+db_port", mysql_sync_body, {f"{TGT}.endpoint.db_port": "3306"}),
    case("cloud+db_name", mysql_sync_body, {f"{TGT}.endpoint.db_name": "user"}),
    case("cloud+ssl", mysql_sync_body, {f"{TGT}.ssl": {"ssl_link": False}}),
    case("cloud+vpc", mysql_sync_body, {f"{TGT}.vpc": dict(VPC)}),
    case("offline+cloud", mysql_sync_body, {f"{SRC}.cloud": dict(CLOUD)}),
    case("offline+vpc", mysql_sync_body, {f"{SRC}.vpc": dict(VPC)}),
    case("offline+cloud", redis_body, {f"{SRC}.cloud": dict(CLOUD), f"{SRC}.vpc": dict(VPC)}),
    # Terraform's documented example lists three AZs for the target
    case("Terraform", terraform_body,
         {f"{TGT}.cloud.az_code": "cn-north-4a,cn-north-4c,cn-north-4g"}),
]

REFUSED = [
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "k", "value": "a#b"}]},
         [("base_info.tags.0.value", "R-04")]),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "k", "value": "a,b"}]},
         [("base_info.tags.0.value", "R-04")]),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "k", "value": ""}]},
         [("base_info.tags.0.value", "R-04")]),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "k", "value": " " * 44}]},
         [("base_info.tags.0.value", "R-04")]),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "v1.0", "value": "v"}]},
         [("base_info.tags.0.key", "R-04")]),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "team a", "value": "v"}]},
         [("base_info.tags.0.key", "R-04")]),
    case("R-07", mysql_sync_body, {"base_info.multi_write": True},
         [("base_info.multi_write", "R-07")]),
    case("R-07", redis_body, {"base_info.multi_write": True}, [("base_info.multi_write", "R-07")]),
    case("R-07", mysql_dr_body, {"base_info.multi_write": DELETE},
         [("base_info.multi_write", "R-07")]),
    case("R-07", mysql_sync_body, {"base_info.multi_write": None},
         [("base_info.multi_write", "R-00")]),
    case("R-09", oracle_body, {"base_info.is_open_fast_clean": True},
         [("base_info.is_open_fast_clean", "R-09")]),
    case("R-09", rediscluster_body, {"base_info.is_open_fast_clean": True},
         [("base_info.is_open_fast_clean", "R-09")]),
    case("R-11", mysql_sync_body, {"base_info.enterprise_project_id": ""},
         [("base_info.enterprise_project_id", "R-11")]),
    case("R-11", mysql_sync_body, {"base_info.enterprise_project_id": "  "},
         [("base_info.enterprise_project_id", "R-11")]),
    case("R-11", mysql_sync_body, {"base_info.enterprise_project_id": 0},
         [("base_info.enterprise_project_id", "R-00")]),
    case("R-30", mysql_sync_body, {f"{TGT}.config.is_target_readonly": True},
         [(f"{TGT}.config.is_target_readonly", "R-30")]),
    case("R-30", rediscluster_body, {f"{TGT}.config": {"is_target_readonly": True}},
         [(f"{TGT}.config.is_target_readonly", "R-30")]),
    case("R-30", mysql_migration_body, {f"{SRC}.config": {"is_target_readonly": True}},
         [(f"{SRC}.config.is_target_readonly", "R-30")]),
    case("R-30", mysql_dr_body, {f"{TGT}.config.is_target_readonly": False},
         [(f"{TGT}.config.is_target_readonly", "R-30")]),
    case("R-33", mysql_sync_body, dns("add", ""), [(f"{DNS}.dns_ip", "R-33")]),
    case("R-33", mysql_sync_body, dns("update", ""), [(f"{DNS}.dns_ip", "R-33")]),
    case("R-33", mysql_sync_body, dns("keep", "300.1.1.1"), [(f"{DNS}.dns_ip", "R-33")]),
    case("R-33", mysql_sync_body, dns("recover", " "), [(f"{DNS}.dns_ip", "R-33")]),
    case("R-33", mysql_sync_body, dns("add", "2001:db8::53"), [(f"{DNS}.dns_ip", "R-33")]),
    case("R-33", mysql_sync_body, {**dns("keep", ""), f"{DNS}.dns_ip": DELETE},
         [(f"{DNS}.dns_ip", "R-33")]),
    case("R-52", mysql_sync_body, {"node_info.vpc": DELETE}, [("node_info.vpc", "R-52")]),
    case("R-52", mysql_migration_body, {"node_info.vpc": DELETE}, [("node_info.vpc", "R-52")]),
    case("R-52", oracle_body, {"node_info.vpc": DELETE}, [("node_info.vpc", "R-52")]),
    case("R-52", terraform_body, {"node_info.vpc.subnet_id": DELETE},
         [("node_info.vpc.subnet_id", "R-52")]),
    case("SDK", mysql_sync_body, {f"{SRC}.endpoint.instance_nmae": "x"},
         [(f"{SRC}.endpoint.instance_nmae", "R-00")]),
    case("cloud+ip", mysql_sync_body, {f"{TGT}.endpoint.ip": "999.1.1.1"},
         [(f"{TGT}.endpoint.ip", "R-27")]),
    case("cloud+db_port", mysql_sync_body, {f"{TGT}.endpoint.db_port": "0"},
         [(f"{TGT}.endpoint.db_port", "R-28")]),
    case("cloud+db_name", mysql_sync_body, {f"{TGT}.endpoint.db_name": 1},
         [(f"{TGT}.endpoint.db_name", "R-00")]),
    case("cloud+ssl", mysql_sync_body, {f"{TGT}.ssl": {"ssl_link": True}},
         [(f"{TGT}.ssl.ssl_cert_name", "R-32"), (f"{TGT}.ssl.ssl_cert_key", "R-32")]),
    case("cloud+vpc", mysql_sync_body, {f"{TGT}.vpc": {"vpc_id": "v"}},
         [(f"{TGT}.vpc.subnet_id", "R-25")]),
    case("offline+cloud", mysql_sync_body, {f"{SRC}.cloud": {"project_id": "p"}},
         [(f"{SRC}.cloud.region", "R-24")]),
    case("offline+vpc", mysql_sync_body, {f"{SRC}.vpc": {"vpc_id": "v"}},
         [(f"{SRC}.vpc.subnet_id", "R-25")]),
]
# fmt: on


@pytest.mark.parametrize(("make", "edits", "expected"), ACCEPTED)
def test_accepted(make, edits, expected):
    assert validate(edited(make, edits)) == []


@pytest.mark.parametrize(("make", "edits", "expected"), REFUSED)
def test_refused(make, edits, expected):
    found = validate(edited(make, edits))
    assert [(v.path, v.rule) for v in found] == expected


def test_terraform_example_is_valid_as_sent():
    body = terraform_body()
    base = body["job"]["base_info"]
    assert (base["multi_write"], base["is_open_fast_clean"]) == (False, False)
    assert validate(body) == []


def test_messages_name_what_is_still_refused():
    def message(make, edits):
        return validate(edited(make, edits))[0].message

    assert "set it to false" in message(mysql_sync_body, {"base_info.multi_write": True})
    assert "false" in message(oracle_body, {"base_info.is_open_fast_clean": True})
    assert '"add"' in message(mysql_sync_body, dns("add", ""))
    assert "spaces" in message(
        mysql_sync_body, {"base_info.tags": [{"key": "k", "value": "a#b"}]}
    )
