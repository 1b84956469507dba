"""Each rule of create-job-reference.md: bodies that pass, and bodies failing at one place."""

import pytest

from drsui.contract import RULES, set_path, validate
from tests.contract.bodies import (
    CERT_BASE64,
    DELETE,
    SOURCE_CLOUD,
    SRC,
    TARGET_OFFLINE,
    TGT,
    edited,
    example_body,
    full_body,
    mysql_dr_body,
    mysql_migration_body,
    mysql_sync_body,
    oracle_body,
    period_body,
    redis_body,
    rediscluster_body,
)

SHARDS_33 = ",".join(f"10.0.2.{n}:6379" for n in range(1, 34))
SHARD = {
    "endpoint_name": "mysql",
    "ip": "10.0.0.12",
    "db_port": "3306",
    "db_user": "u",
    "db_password": "p",
}



def case(rule, make, edits, expected=(), **kwargs):
    label = f"{rule}-{make.__name__}-" + ",".join(f"{k}" for k in edits)
    return pytest.param(rule, make, edits, list(expected), kwargs, id=label)


# fmt: off
PASSES = [
    case("R-00", example_body, {}),
    case("R-01", mysql_sync_body, {"base_info.name": "a_b-1234"}),
    case("R-01", mysql_sync_body, {"base_info.name": "A" * 50}),
    case("R-01", mysql_sync_body, {"base_info.name": DELETE}),
    case("R-02", mysql_sync_body, {"base_info.description": ""}),
    case("R-02", mysql_sync_body, {"base_info.description": "x" * 256}),
    case("R-03", mysql_sync_body, {"base_info.expired_days": "100"}),
    case("R-03", mysql_sync_body, {"base_info.expired_days": DELETE}),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": f"k{n}", "value": "v"}
                                                      for n in range(20)]}),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "環境", "value": "prod_1-a"}]}),
    case("R-05", mysql_sync_body, {"base_info.start_time": "1684466549755"}),
    case("R-05", mysql_sync_body, {"base_info.start_time": "1684466549755"},
         now_ms=1684466549754),
    case("R-06", oracle_body, {}),
    case("R-06", rediscluster_body, {}),
    case("R-07", mysql_dr_body, {"base_info.multi_write": True}),
    case("R-08", mysql_dr_body, {"base_info.net_type": "vpn"}),
    case("R-08", mysql_dr_body, {"base_info.multi_write": True,
                                 "base_info.task_type": "INCR_TRANS"}),
    case("R-09", mysql_sync_body, {"base_info.is_open_fast_clean": False}),
    case("R-10", mysql_sync_body, {"base_info.job_direction": "non-dbs", **TARGET_OFFLINE}),
    case("R-10", mysql_sync_body, {"base_info.job_direction": "down", **TARGET_OFFLINE,
                                   **SOURCE_CLOUD}),
    case("R-11", mysql_sync_body, {"base_info.enterprise_project_id": "b7a8c0f3-1"}),
    case("R-20", mysql_sync_body, {f"{SRC}.endpoint_role": "so", f"{TGT}.endpoint_role": "ta"}),
    case("R-21", redis_body, {f"{SRC}.db_type": "redis", f"{TGT}.db_type": "gaussredis"}),
    case("R-22", mysql_migration_body, {f"{SRC}.endpoint_type": "ecs"}),
    case("R-23", mysql_migration_body, {f"{SRC}.endpoint.endpoint_name": "ecs_mysql"}),
    case("R-24", mysql_sync_body, {f"{TGT}.cloud.region": "cn-north-4_sub1",
                                   f"{TGT}.cloud.az_code": "cn-north-4a,cn-north-4c"}),
    case("R-25", mysql_migration_body,
         {f"{SRC}.vpc.security_group_id": "039a3s89-665a-43e2-9b4f-bda7d9ee148d"}),
    case("R-26", mysql_sync_body, {f"{TGT}.endpoint.instance_id": "i-1"}),
    case("R-27", mysql_sync_body, {f"{SRC}.endpoint.ip": "db-1.example.com"}),
    case("R-27", mysql_sync_body, {f"{SRC}.endpoint.ip": "2001:db8::1"}),
    case("R-27", rediscluster_body, {f"{SRC}.endpoint.ip": "[2001:db8::1]:6379, redis.lan:6380"}),
    case("R-28", mysql_sync_body, {f"{SRC}.endpoint.db_port": "65535"}),
    case("R-28", mysql_sync_body, {f"{SRC}.endpoint.db_port": "1"}),
    case("R-29", redis_body, {f"{SRC}.endpoint.db_user": ""}),
    case("R-30", mysql_dr_body, {"base_info.multi_write": True,
                                 f"{TGT}.config.is_target_readonly": False}),
    case("R-30", mysql_migration_body, {f"{TGT}.config.is_target_readonly": False}),
    case("R-31", rediscluster_body, {f"{SRC}.config.node_num": 4}),
    case("R-32", full_body, {}),
    case("R-32", mysql_sync_body, {f"{SRC}.ssl": {"ssl_link": False}}),
    case("R-33", full_body, {f"{SRC}.customized_dns.set_dns_action": "recover"}),
    case("R-34", full_body, {f"{SRC}.endpoint.source_sharding.1": SHARD}),
    case("R-40", period_body, {}),
    case("R-41", period_body, {"period_order.period_num": 9}),
    case("R-41", period_body, {"period_order.period_type": 3, "period_order.period_num": 3}),
    case("R-50", mysql_sync_body, {"node_info.spec.node_type": "micro"}),
    case("R-51", mysql_sync_body, {"node_info.spec.node_type": "medium"}),
    case("R-51", redis_body, {"node_info.spec.node_type": "high"}),
    case("R-52", mysql_sync_body, {"node_info.vpc.custom_node_ip": "192.168.0.10"}),
    case("R-52", full_body, {}),
    case("R-53", mysql_sync_body, {"node_info.base_info": {
        "instance_type": "single", "arch": "arm", "availability_zone": "cn-north-4a",
        "status": "ACTIVE", "role": "master"}}),
    case("R-60", full_body, {}),
    case("R-60", example_body, {}),
]

FAILS = [
    # body shape, unknown fields, JSON types, mandatory fields without their own rule
    case("R-00", mysql_sync_body, {"base_info.nmae": "drs-task-2"}, [("base_info.nmae", "R-00")]),
    case("R-00", mysql_sync_body, {f"{SRC}.endpoint.db_port": 5432},
         [(f"{SRC}.endpoint.db_port", "R-00")]),
    case("R-00", mysql_dr_body, {"base_info.multi_write": "false"},
         [("base_info.multi_write", "R-00")]),
    case("R-00", rediscluster_body, {f"{SRC}.config.node_num": "2"},
         [(f"{SRC}.config.node_num", "R-00")]),
    case("R-00", mysql_sync_body, {f"{SRC}.ssl": {"ssl_link": "true"}},
         [(f"{SRC}.ssl.ssl_link", "R-00")]),
    case("R-00", mysql_sync_body, {"base_info.tags": ["team=dba"]}, [("base_info.tags.0", "R-00")]),
    case("R-00", mysql_sync_body, {"base_info": DELETE}, [("base_info", "R-00")]),
    case("R-00", mysql_sync_body, {f"{SRC}.endpoint": DELETE}, [(f"{SRC}.endpoint", "R-00")]),
    case("R-00", mysql_sync_body, {"base_info.task_type": "FULL"},
         [("base_info.task_type", "R-00")]),
    case("R-00", mysql_sync_body, {"base_info.net_type": DELETE}, [("base_info.net_type", "R-00")]),
    case("R-00", mysql_sync_body, {"base_info.charging_mode": "free"},
         [("base_info.charging_mode", "R-00")]),
    case("R-00", period_body, {"period_order.is_auto_renew": 2},
         [("period_order.is_auto_renew", "R-00")]),
    case("R-00", mysql_sync_body, {"node_info.vpc.subnet_id": None},
         [("node_info.vpc.subnet_id", "R-00")]),
    case("R-01", mysql_sync_body, {"base_info.name": "1abc"}, [("base_info.name", "R-01")]),
    case("R-01", mysql_sync_body, {"base_info.name": "abc"}, [("base_info.name", "R-01")]),
    case("R-01", mysql_sync_body, {"base_info.name": "a" * 51}, [("base_info.name", "R-01")]),
    case("R-01", mysql_sync_body, {"base_info.name": "drs task"}, [("base_info.name", "R-01")]),
    case("R-01", mysql_sync_body, {"base_info.name": "drs-task\n"}, [("base_info.name", "R-01")]),
    case("R-02", mysql_sync_body, {"base_info.description": "x" * 257},
         [("base_info.description", "R-02")]),
    case("R-02", mysql_sync_body, {"base_info.description": "a <b>"},
         [("base_info.description", "R-02")]),
    case("R-03", mysql_sync_body, {"base_info.expired_days": "13"},
         [("base_info.expired_days", "R-03")]),
    case("R-03", mysql_sync_body, {"base_info.expired_days": "101"},
         [("base_info.expired_days", "R-03")]),
    case("R-03", mysql_sync_body, {"base_info.expired_days": 14},
         [("base_info.expired_days", "R-00")]),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": f"k{n}", "value": "v"}
                                                      for n in range(21)]},
         [("base_info.tags", "R-04")]),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "a", "value": "1"},
                                                      {"key": "a", "value": "2"}]},
         [("base_info.tags.1.key", "R-04")]),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "k" * 37, "value": "v"}]},
         [("base_info.tags.0.key", "R-04")]),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "k", "value": "v" * 44}]},
         [("base_info.tags.0.value", "R-04")]),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"key": "a b", "value": "v"}]},
         [("base_info.tags.0.key", "R-04")]),
    case("R-04", mysql_sync_body, {"base_info.tags": [{"value": "v"}]},
         [("base_info.tags.0.key", "R-04")]),
    case("R-05", mysql_sync_body, {"base_info.start_time": "2023-05-19T10:00"},
         [("base_info.start_time", "R-05")]),
    case("R-05", mysql_sync_body, {"base_info.start_time": "1684466549755"},
         [("base_info.start_time", "R-05")], now_ms=1684466549755),
    case("R-06", redis_body, {"base_info.job_type": "sync"}, [("base_info.job_type", "R-06")]),
    case("R-06", oracle_body, {"base_info.job_type": "migration"},
         [("base_info.job_type", "R-06")]),
    case("R-06", oracle_body, {"base_info.engine_type": "oracle-to-mysql"},
         [("base_info.engine_type", "R-06")]),
    case("R-06", oracle_body, {"base_info.job_type": DELETE}, [("base_info.job_type", "R-06")]),
    case("R-07", mysql_dr_body, {"base_info.multi_write": DELETE},
         [("base_info.multi_write", "R-07")]),
    case("R-07", mysql_sync_body, {"base_info.multi_write": True},
         [("base_info.multi_write", "R-07")]),
    case("R-08", mysql_dr_body, {"base_info.net_type": "vpc"}, [("base_info.net_type", "R-08")]),
    case("R-08", mysql_dr_body, {"base_info.task_type": "FULL_TRANS"},
         [("base_info.task_type", "R-08")]),
    case("R-09", oracle_body, {"base_info.is_open_fast_clean": True},
         [("base_info.is_open_fast_clean", "R-09")]),
    case("R-10", oracle_body, {"base_info.job_direction": "down"},
         [("base_info.job_direction", "R-10")]),
    case("R-10", mysql_sync_body, TARGET_OFFLINE, [(f"{TGT}.endpoint_type", "R-10")]),
    case("R-10", mysql_sync_body, {"base_info.job_direction": "down"},
         [(f"{SRC}.endpoint_type", "R-10")]),
    case("R-10", mysql_sync_body, {"base_info.job_direction": "non-dbs"},
         [(f"{TGT}.endpoint_type", "R-10")]),
    case("R-10", mysql_sync_body, {"base_info.job_direction": "sideways"},
         [("base_info.job_direction", "R-10")]),
    case("R-11", mysql_sync_body, {"base_info.enterprise_project_id": ""},
         [("base_info.enterprise_project_id", "R-11")]),
    case("R-20", mysql_sync_body, {"source_endpoint": []}, [("source_endpoint", "R-20")]),
    case("R-20", mysql_sync_body, {"source_endpoint.1": {"db_type": "mysql"}},
         [("source_endpoint", "R-20")]),
    case("R-20", mysql_sync_body, {f"{SRC}.endpoint_role": "ta"},
         [(f"{SRC}.endpoint_role", "R-20")]),
    case("R-20", mysql_sync_body, {"target_endpoint": DELETE}, [("target_endpoint", "R-20")]),
    case("R-21", oracle_body, {f"{SRC}.db_type": "mysql"}, [(f"{SRC}.db_type", "R-21")]),
    case("R-21", oracle_body, {f"{TGT}.db_type": "gauss"}, [(f"{TGT}.db_type", "R-21")]),
    case("R-22", oracle_body, {f"{TGT}.endpoint_type": "offline"},
         [(f"{TGT}.endpoint_type", "R-22")]),
    case("R-22", redis_body, {f"{SRC}.endpoint_type": "rds"}, [(f"{SRC}.endpoint_type", "R-22")]),
    case("R-23", mysql_sync_body, {f"{SRC}.endpoint.endpoint_name": "ecs_mysql"},
         [(f"{SRC}.endpoint.endpoint_name", "R-23")]),
    case("R-23", mysql_sync_body, {f"{TGT}.endpoint.endpoint_name": DELETE},
         [(f"{TGT}.endpoint.endpoint_name", "R-23")]),
    case("R-24", mysql_migration_body, {f"{SRC}.cloud": DELETE}, [(f"{SRC}.cloud", "R-24")]),
    case("R-24", mysql_sync_body, {f"{TGT}.cloud.region": DELETE},
         [(f"{TGT}.cloud.region", "R-24")]),
    case("R-24", mysql_sync_body, {f"{TGT}.cloud.az_code": "cn-north-4a,,cn-north-4c"},
         [(f"{TGT}.cloud.az_code", "R-24")]),
    case("R-25", mysql_migration_body, {f"{SRC}.vpc": DELETE}, [(f"{SRC}.vpc", "R-25")]),
    case("R-25", mysql_migration_body, {f"{SRC}.vpc.subnet_id": DELETE},
         [(f"{SRC}.vpc.subnet_id", "R-25")]),
    case("R-26", mysql_sync_body, {f"{TGT}.endpoint.instance_id": DELETE},
         [(f"{TGT}.endpoint.instance_id", "R-26")]),
    case("R-26", mysql_sync_body, {f"{TGT}.endpoint.instance_id": " "},
         [(f"{TGT}.endpoint.instance_id", "R-26")]),
    case("R-27", mysql_sync_body, {f"{SRC}.endpoint.ip": DELETE}, [(f"{SRC}.endpoint.ip", "R-27")]),
    case("R-27", mysql_sync_body, {f"{SRC}.endpoint.db_port": DELETE},
         [(f"{SRC}.endpoint.db_port", "R-27")]),
    case("R-27", mysql_sync_body, {f"{SRC}.endpoint.ip": "999.1.1.1"},
         [(f"{SRC}.endpoint.ip", "R-27")]),
    case("R-27", mysql_sync_body, {f"{SRC}.endpoint.ip": "db host"},
         [(f"{SRC}.endpoint.ip", "R-27")]),
    case("R-27", rediscluster_body, {f"{SRC}.endpoint.ip": "10.0.1.1"},
         [(f"{SRC}.endpoint.ip", "R-27")]),
    case("R-27", rediscluster_body, {f"{SRC}.endpoint.ip": SHARDS_33},
         [(f"{SRC}.endpoint.ip", "R-27")]),
    case("R-28", mysql_sync_body, {f"{SRC}.endpoint.db_port": "0"},
         [(f"{SRC}.endpoint.db_port", "R-28")]),
    case("R-28", mysql_sync_body, {f"{SRC}.endpoint.db_port": "65536"},
         [(f"{SRC}.endpoint.db_port", "R-28")]),
    case("R-28", mysql_sync_body, {f"{SRC}.endpoint.db_port": "33o6"},
         [(f"{SRC}.endpoint.db_port", "R-28")]),
    case("R-29", mysql_sync_body, {f"{SRC}.endpoint.db_password": DELETE},
         [(f"{SRC}.endpoint.db_password", "R-29")]),
    case("R-29", mysql_sync_body, {f"{SRC}.endpoint.db_password": ""},
         [(f"{SRC}.endpoint.db_password", "R-29")]),
    case("R-29", mysql_sync_body, {f"{SRC}.endpoint.db_user": ""},
         [(f"{SRC}.endpoint.db_user", "R-29")]),
    case("R-29", redis_body, {f"{TGT}.endpoint.db_user": ""},
         [(f"{TGT}.endpoint.db_user", "R-29")]),
    case("R-29", redis_body, {f"{SRC}.endpoint.db_user": DELETE},
         [(f"{SRC}.endpoint.db_user", "R-29")]),
    case("R-30", mysql_sync_body, {f"{TGT}.config.is_target_readonly": True},
         [(f"{TGT}.config.is_target_readonly", "R-30")]),
    case("R-30", mysql_dr_body, {f"{TGT}.config.is_target_readonly": False},
         [(f"{TGT}.config.is_target_readonly", "R-30")]),
    case("R-30", mysql_migration_body, {f"{SRC}.config.is_target_readonly": True},
         [(f"{SRC}.config.is_target_readonly", "R-30")]),
    case("R-31", rediscluster_body, {f"{SRC}.config.node_num": 17},
         [(f"{SRC}.config.node_num", "R-31")]),
    case("R-31", rediscluster_body, {f"{SRC}.config.node_num": 5},
         [(f"{SRC}.config.node_num", "R-31")]),
    case("R-31", redis_body, {f"{SRC}.config.node_num": 1}, [(f"{SRC}.config.node_num", "R-31")]),
    case("R-31", rediscluster_body, {f"{TGT}.config.node_num": 1},
         [(f"{TGT}.config.node_num", "R-31")]),
    case("R-32", full_body, {f"{SRC}.ssl.ssl_cert_check_sum": DELETE},
         [(f"{SRC}.ssl.ssl_cert_check_sum", "R-32")]),
    case("R-32", full_body, {f"{SRC}.ssl.ssl_cert_key": "not base64!"},
         [(f"{SRC}.ssl.ssl_cert_key", "R-32")]),
    case("R-32", full_body, {f"{TGT}.ssl.ssl_cert_password": DELETE},
         [(f"{TGT}.ssl.ssl_cert_password", "R-32")]),
    case("R-32", mysql_sync_body, {f"{TGT}.ssl": {"ssl_link": True, "ssl_cert_name": "ca.pem"}},
         [(f"{TGT}.ssl.ssl_cert_key", "R-32")]),
    case("R-33", full_body, {f"{SRC}.customized_dns.dns_ip": DELETE},
         [(f"{SRC}.customized_dns.dns_ip", "R-33")]),
    case("R-33", full_body, {f"{SRC}.customized_dns.dns_ip": "300.1.1.1"},
         [(f"{SRC}.customized_dns.dns_ip", "R-33")]),
    case("R-33", full_body, {f"{SRC}.customized_dns.set_dns_action": "delete"},
         [(f"{SRC}.customized_dns.set_dns_action", "R-33")]),
    case("R-34", mysql_sync_body, {f"{TGT}.endpoint.source_sharding": [SHARD]},
         [(f"{TGT}.endpoint.source_sharding", "R-34")]),
    case("R-34", full_body, {f"{SRC}.endpoint.source_sharding.0.source_sharding": [SHARD]},
         [(f"{SRC}.endpoint.source_sharding.0.source_sharding", "R-34")]),
    case("R-34", full_body, {f"{SRC}.endpoint.source_sharding.0.db_port": "0"},
         [(f"{SRC}.endpoint.source_sharding.0.db_port", "R-28")]),
    case("R-34", full_body, {f"{SRC}.endpoint.source_sharding.0.endpoint_name": "ecs_mysql"},
         [(f"{SRC}.endpoint.source_sharding.0.endpoint_name", "R-23")]),
    case("R-40", period_body, {"period_order": DELETE}, [("period_order", "R-40")]),
    case("R-40", mysql_sync_body, {"period_order": {"period_type": 2, "period_num": 1}},
         [("period_order", "R-40")]),
    case("R-41", period_body, {"period_order.period_num": 10},
         [("period_order.period_num", "R-41")]),
    case("R-41", period_body, {"period_order.period_type": 3, "period_order.period_num": 4},
         [("period_order.period_num", "R-41")]),
    case("R-41", period_body, {"period_order.period_num": 0},
         [("period_order.period_num", "R-41")]),
    case("R-41", period_body, {"period_order.period_type": 1},
         [("period_order.period_type", "R-41")]),
    case("R-41", period_body, {"period_order.period_num": DELETE},
         [("period_order.period_num", "R-41")]),
    case("R-50", mysql_sync_body, {"node_info": DELETE}, [("node_info", "R-50")]),
    case("R-50", mysql_sync_body, {"node_info.spec": DELETE}, [("node_info.spec", "R-50")]),
    case("R-50", mysql_sync_body, {"node_info.spec.node_type": DELETE},
         [("node_info.spec.node_type", "R-50")]),
    case("R-51", mysql_migration_body, {"node_info.spec.node_type": "medium"},
         [("node_info.spec.node_type", "R-51")]),
    case("R-51", mysql_sync_body, {"node_info.spec.node_type": "huge"},
         [("node_info.spec.node_type", "R-51")]),
    case("R-52", mysql_sync_body, {"node_info.vpc": DELETE}, [("node_info.vpc", "R-52")]),
    case("R-52", mysql_sync_body, {"node_info.vpc.vpc_id": ""}, [("node_info.vpc.vpc_id", "R-52")]),
    case("R-52", mysql_sync_body, {"node_info.vpc.custom_node_ip": "192.168.0.10,192.168.0.11"},
         [("node_info.vpc.custom_node_ip", "R-52")]),
    case("R-52", full_body, {"node_info.vpc.custom_node_ip": "192.168.0.300"},
         [("node_info.vpc.custom_node_ip", "R-52")]),
    case("R-53", full_body, {"node_info.base_info.availability_zone": "cn-north-4a"},
         [("node_info.base_info.availability_zone", "R-53")]),
    case("R-53", full_body, {"node_info.base_info.availability_zone": "cn-north-4a,cn-north-4a"},
         [("node_info.base_info.availability_zone", "R-53")]),
    case("R-53", mysql_sync_body, {"node_info.base_info": {
        "instance_type": "single", "arch": "x86", "availability_zone": "cn-north-4a,cn-north-4b"}},
         [("node_info.base_info.availability_zone", "R-53")]),
    case("R-53", full_body, {"node_info.base_info.arch": DELETE},
         [("node_info.base_info.arch", "R-53")]),
    case("R-53", full_body, {"node_info.base_info.instance_type": "triple"},
         [("node_info.base_info.instance_type", "R-53")]),
    case("R-60", mysql_sync_body, {"public_ip_list": example_body(1)["job"]["public_ip_list"]},
         [("public_ip_list", "R-60")]),
    case("R-60", example_body, {"public_ip_list.0": {"id": "e1", "public_ip": "203.0.113.9",
                                                     "type": "slave"}},
         [("public_ip_list.0.type", "R-60")]),
    case("R-60", full_body, {"public_ip_list.1.type": "master"},
         [("public_ip_list.1.type", "R-60")]),
    case("R-60", full_body, {"public_ip_list.0.public_ip": "2001:db8::1"},
         [("public_ip_list.0.public_ip", "R-60")]),
    case("R-60", full_body, {"public_ip_list.0.id": DELETE}, [("public_ip_list.0.id", "R-60")]),
]


# fmt: on


@pytest.mark.parametrize(("rule", "make", "edits", "expected", "kwargs"), PASSES)
def test_valid_body_passes(rule, make, edits, expected, kwargs):
    assert validate(edited(make, edits), **kwargs) == []


@pytest.mark.parametrize(("rule", "make", "edits", "expected", "kwargs"), FAILS)
def test_invalid_body_fails_at_one_place(rule, make, edits, expected, kwargs):
    found = validate(edited(make, edits), **kwargs)
    assert [(v.path, v.rule) for v in found] == expected


def test_every_rule_has_a_passing_and_a_failing_case():
    checked = set(RULES) - {"R-42"}  # R-42 is a warning: see test_contract_validate
    assert {p.values[0] for p in PASSES} == checked
    assert {p.values[0] for p in FAILS} == checked
    assert {rule for p in FAILS for _, rule in p.values[3]} <= set(RULES)


def test_dependent_rules_are_skipped_while_the_engine_is_unknown():
    # With oracle-to-gaussdbv5 each of these edits would be refused.
    body = edited(
        oracle_body,
        {
            "base_info.engine_type": "oracle-to-mysql",
            "base_info.job_direction": "down",
            "base_info.is_open_fast_clean": True,
            f"{SRC}.db_type": "mysql",
            f"{SRC}.endpoint.endpoint_name": "mysql",
            f"{TGT}.config.is_target_readonly": True,
        },
    )
    assert [(v.path, v.rule) for v in validate(body)] == [("base_info.engine_type", "R-06")]


def test_dependent_rules_are_skipped_while_the_db_type_is_wrong():
    body = edited(oracle_body, {f"{TGT}.db_type": "mysql", f"{TGT}.endpoint_type": "offline"})
    assert [(v.path, v.rule) for v in validate(body)] == [(f"{TGT}.db_type", "R-21")]


def test_a_refused_scenario_does_not_also_refuse_the_node_type():
    body = edited(oracle_body, {"base_info.job_type": "migration"})
    assert body["job"]["node_info"]["spec"]["node_type"] == "medium"  # R-51 would need high
    assert [v.rule for v in validate(body)] == ["R-06"]


def test_ssl_certificate_checks_apply_only_when_ssl_is_on():
    body = edited(mysql_sync_body, {f"{SRC}.ssl": {"ssl_link": False, "ssl_cert_key": "%%%"}})
    assert validate(body) == []
    set_path(body["job"], f"{SRC}.ssl.ssl_link", True)
    assert [(v.path, v.rule) for v in validate(body)] == [
        (f"{SRC}.ssl.ssl_cert_key", "R-32"),
        (f"{SRC}.ssl.ssl_cert_name", "R-32"),
        (f"{SRC}.ssl.ssl_cert_check_sum", "R-32"),
    ]


def test_certificate_content_may_be_wrapped_like_pem():
    wrapped = CERT_BASE64[:8] + "\r\n" + CERT_BASE64[8:]
    assert validate(edited(full_body, {f"{SRC}.ssl.ssl_cert_key": wrapped})) == []
