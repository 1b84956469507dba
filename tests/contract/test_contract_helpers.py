"""Rule helpers the wizard uses to offer only valid choices, checked against validate()."""

import pytest

from drsui.contract import (
    ENDPOINT_NAMES,
    ENGINE_TYPES,
    FINAL_STATUSES,
    JOB_STATUSES,
    JOB_TYPES,
    LABELS,
    SCENARIOS,
    az_count_for,
    db_user_may_be_empty,
    delete_path,
    directions_for,
    dns_ip_required,
    endpoint_cloud_required,
    endpoint_name_for,
    endpoint_types_for,
    endpoint_types_for_side,
    endpoint_vpc_required,
    engine_db_types,
    fast_clean_allowed,
    is_self_built,
    multi_write_allowed,
    net_types_for,
    node_num_allowed,
    node_num_range,
    node_types_for,
    node_vpc_required,
    period_num_range,
    public_ip_types_for,
    public_ips_allowed,
    readonly_target_allowed,
    readonly_target_required,
    redis_shards,
    task_types_for,
    validate,
)
from tests.contract.bodies import (
    CLOUD,
    DELETE,
    VALID_BODIES,
    VPC,
    edited,
    full_body,
    mysql_dr_body,
    mysql_sync_body,
    rediscluster_body,
)


def test_scenarios_start_with_the_api_page_example_and_cover_every_engine():
    assert SCENARIOS[0] == ("sync", "oracle-to-gaussdbv5")
    assert len(set(SCENARIOS)) == 6
    assert {engine for _, engine in SCENARIOS} == set(ENGINE_TYPES)
    assert [job for job, engine in SCENARIOS if engine == "mysql-to-mysql"] == [
        "sync",
        "migration",
        "cloudDataGuard",
    ]


def test_engine_helpers():
    assert engine_db_types("rediscluster-to-gaussredis") == ("rediscluster", "gaussredis")
    assert engine_db_types("nope") is None
    assert endpoint_types_for("mysql") == ("offline", "ecs", "cloud")
    assert endpoint_types_for("gaussredis") == ("cloud",)
    assert endpoint_types_for("nope") == ()
    assert directions_for("oracle-to-gaussdbv5") == ("up",)
    assert directions_for("redis-to-gaussredis") == ("up",)
    assert directions_for("mysql-to-mysql") == ("up", "down", "non-dbs")
    assert directions_for(None) == ()


def test_every_db_and_endpoint_type_pair_names_a_known_endpoint():
    names = {
        endpoint_name_for(db, kind)
        for engine in ENGINE_TYPES
        for db in engine_db_types(engine)
        for kind in endpoint_types_for(db)
    }
    assert names == set(ENDPOINT_NAMES)
    assert endpoint_name_for("rediscluster", "ecs") == "ecs_rediscluster"
    assert endpoint_name_for("gaussredis", "cloud") == "cloud_gaussdb_redis"
    assert endpoint_name_for("oracle", "cloud") is None


@pytest.mark.parametrize(
    ("direction", "source", "target"),
    [
        ("up", ("offline", "ecs", "cloud"), ("cloud",)),
        ("down", ("cloud",), ("offline", "ecs", "cloud")),
        ("non-dbs", ("offline", "ecs"), ("offline", "ecs")),
        ("sideways", ("offline", "ecs", "cloud"), ("offline", "ecs", "cloud")),
    ],
)
def test_endpoint_types_per_side_follow_the_direction(direction, source, target):
    assert endpoint_types_for_side("mysql-to-mysql", direction, "source") == source
    assert endpoint_types_for_side("mysql-to-mysql", direction, "target") == target


def test_endpoint_types_per_side_agree_with_validate():
    """Every endpoint_type offered for a mysql side validates; every other one is refused."""
    for direction in directions_for("mysql-to-mysql"):
        for side in ("source", "target"):
            offered = endpoint_types_for_side("mysql-to-mysql", direction, side)
            for kind in ("offline", "ecs", "cloud"):
                body = mysql_sync_body()
                job = body["job"]
                job["base_info"]["job_direction"] = direction
                entry = job[f"{side}_endpoint"][0]
                entry["endpoint_type"] = kind
                paths = {v.path for v in validate(body) if v.rule == "R-10"}
                assert (f"{side}_endpoint.0.endpoint_type" not in paths) == (kind in offered)


def test_choice_helpers():
    assert net_types_for("cloudDataGuard") == ("eip", "vpn")
    assert net_types_for("sync") == ("eip", "vpc", "vpn")
    assert task_types_for("cloudDataGuard", False) == ("FULL_INCR_TRANS",)
    assert task_types_for("cloudDataGuard", True) == ("FULL_TRANS", "INCR_TRANS", "FULL_INCR_TRANS")
    assert node_types_for("sync") == ("micro", "small", "medium", "high")
    assert node_types_for("migration") == node_types_for("cloudDataGuard") == ("high",)
    assert period_num_range(2) == range(1, 10)
    assert period_num_range(3) == range(1, 4)
    assert period_num_range(True) == period_num_range([2]) == range(0)
    assert (az_count_for("single"), az_count_for("ha"), az_count_for(["ha"])) == (1, 2, 0)


def test_allowed_helpers():
    assert readonly_target_allowed("mysql-to-mysql", "migration", "up")
    assert readonly_target_allowed("mysql-to-mysql", "cloudDataGuard", "up")
    assert not readonly_target_allowed("mysql-to-mysql", "sync", "up")
    assert not readonly_target_allowed("mysql-to-mysql", "migration", "down")
    assert node_num_allowed("rediscluster-to-gaussredis")
    assert not node_num_allowed("redis-to-gaussredis")
    assert fast_clean_allowed("mysql-to-mysql") and not fast_clean_allowed("oracle-to-gaussdbv5")
    assert multi_write_allowed("cloudDataGuard") and not multi_write_allowed("sync")
    assert public_ips_allowed("eip") and not public_ips_allowed("vpn")


# Revision 2: each helper agrees with validate().


def rules_at(body, path):
    return [v.rule for v in validate(body) if v.path == path]


@pytest.mark.parametrize("make", VALID_BODIES.values(), ids=list(VALID_BODIES))
def test_multi_write_and_fast_clean_true_only_where_allowed_false_everywhere(make):
    body = make()
    job_type, engine = (body["job"]["base_info"][k] for k in ("job_type", "engine_type"))
    for field, allowed in (
        ("multi_write", multi_write_allowed(job_type)),
        ("is_open_fast_clean", fast_clean_allowed(engine)),
    ):
        path = f"base_info.{field}"
        assert rules_at(edited(make, {path: False}), path) == []
        refused = rules_at(edited(make, {path: True}), path)
        assert refused == ([] if allowed else ["R-07" if field == "multi_write" else "R-09"])


@pytest.mark.parametrize("multi_write", [True, False])
@pytest.mark.parametrize("value", [True, False])
def test_readonly_target_helpers_match_validate(multi_write, value):
    path = "target_endpoint.0.config.is_target_readonly"
    body = edited(mysql_dr_body, {"base_info.multi_write": multi_write, path: value})
    args = ("mysql-to-mysql", "cloudDataGuard", "up")
    assert readonly_target_allowed(*args)
    refused = (value is False) and readonly_target_required(*args, multi_write)
    assert rules_at(body, path) == (["R-30"] if refused else [])
    assert not readonly_target_required("mysql-to-mysql", "cloudDataGuard", "down", False)
    assert not readonly_target_required("mysql-to-mysql", "migration", "up", False)


def _endpoint_edits(side, kind):
    p = f"{side}_endpoint.0"
    edits = {f"{p}.endpoint_type": kind, f"{p}.endpoint.endpoint_name": endpoint_name_for(
        "mysql", kind)}
    if kind == "cloud":
        edits.update({f"{p}.endpoint.instance_id": "i-1", f"{p}.cloud": dict(CLOUD)})
    else:
        edits.update({f"{p}.endpoint.ip": "10.0.0.5", f"{p}.endpoint.db_port": "3306"})
    if kind == "ecs":
        edits.update({f"{p}.cloud": dict(CLOUD), f"{p}.vpc": dict(VPC)})
    return edits


@pytest.mark.parametrize("source", ["offline", "ecs", "cloud"])
@pytest.mark.parametrize("target", ["offline", "ecs", "cloud"])
def test_node_vpc_required_matches_validate(source, target):
    direction = "up" if target == "cloud" else "down" if source == "cloud" else "non-dbs"
    edits = {"base_info.job_direction": direction, "node_info.vpc": DELETE}
    edits.update(_endpoint_edits("source", source))
    edits.update(_endpoint_edits("target", target))
    rules = rules_at(edited(mysql_sync_body, edits), "node_info.vpc")
    assert rules == (["R-52"] if node_vpc_required(source, target) else [])
    assert node_vpc_required(source, target) == (source != "cloud" or target != "cloud")


@pytest.mark.parametrize("kind", ["offline", "ecs", "cloud"])
def test_endpoint_cloud_vpc_and_host_helpers_match_validate(kind):
    p = "source_endpoint.0"
    edits = {"base_info.job_direction": "up", **_endpoint_edits("source", kind)}
    for part, helper, rule in (
        ("cloud", endpoint_cloud_required, "R-24"),
        ("vpc", endpoint_vpc_required, "R-25"),
        ("endpoint.ip", is_self_built, "R-27"),
    ):
        body = edited(mysql_sync_body, edits)
        delete_path(body["job"], f"{p}.{part}")
        assert rules_at(body, f"{p}.{part}") == ([rule] if helper(kind) else []), part


@pytest.mark.parametrize("make", VALID_BODIES.values(), ids=list(VALID_BODIES))
@pytest.mark.parametrize("side", ["source", "target"])
def test_db_user_may_be_empty_matches_validate(make, side):
    body = make()
    entry = body["job"][f"{side}_endpoint"][0]
    entry["endpoint"]["db_user"] = ""
    refused = rules_at(body, f"{side}_endpoint.0.endpoint.db_user")
    assert refused == ([] if db_user_may_be_empty(side, entry["db_type"]) else ["R-29"])


def test_node_vpc_is_not_required_while_neither_side_is_known_to_be_self_built():
    assert not node_vpc_required(None, "cloud") and not node_vpc_required("rds", None)
    assert node_vpc_required("offline", None)


@pytest.mark.parametrize("action", ["add", "keep", "update", "recover"])
def test_dns_ip_required_matches_validate(action):
    path = "source_endpoint.0.customized_dns"
    body = edited(full_body, {f"{path}.set_dns_action": action, f"{path}.dns_ip": ""})
    assert rules_at(body, f"{path}.dns_ip") == (["R-33"] if dns_ip_required(action) else [])
    assert dns_ip_required(action) == (action in ("add", "update"))
    assert not dns_ip_required(None)


def test_node_num_range_matches_validate():
    assert node_num_range() == range(1, 17)
    assert node_num_range(4) == range(1, 5) and node_num_range(32) == range(1, 17)
    assert node_num_range(0) == node_num_range(True) == node_num_range("4") == range(1, 17)
    shards = len(redis_shards(rediscluster_body()["job"]["source_endpoint"][0]["endpoint"]["ip"]))
    path = "source_endpoint.0.config.node_num"
    for n in range(0, 18):
        refused = rules_at(edited(rediscluster_body, {path: n}), path)
        assert refused == ([] if n in node_num_range(shards) else ["R-31"]), n


@pytest.mark.parametrize("instance_type", ["single", "ha", None])
def test_public_ip_types_for_matches_validate(instance_type):
    body = full_body()
    job = body["job"]
    if instance_type is None:
        del job["node_info"]["base_info"]  # DRS creates a single instance
    else:
        job["node_info"]["base_info"]["instance_type"] = instance_type
        job["node_info"]["base_info"]["availability_zone"] = (
            "cn-north-4a" if instance_type == "single" else "cn-north-4a,cn-north-4b")
    job["node_info"]["vpc"].pop("custom_node_ip")
    offered = public_ip_types_for(instance_type or "single")
    assert rules_at(body, "public_ip_list.1.type") == ([] if "slave" in offered else ["R-60"])
    assert public_ip_types_for("ha") == public_ip_types_for(None) == ("master", "slave")


def test_redis_shards_splits_the_cluster_list():
    assert redis_shards("10.0.0.1:6379, 10.0.0.2:6379,") == ["10.0.0.1:6379", "10.0.0.2:6379"]
    assert redis_shards(None) == []


def test_statuses_and_labels():
    assert set(FINAL_STATUSES) < set(JOB_STATUSES)
    assert not {"CREATING", "CONFIGURATION", "PAUSING", "WAITING_FOR_START"} & set(FINAL_STATUSES)
    for value in (
        *JOB_TYPES,
        *ENGINE_TYPES,
        "eip",
        "vpn",
        "ha",
        "on_demand",
        "period",
        "offline",
        "ecs",
        "cloud",
    ):
        assert LABELS[value]
    assert LABELS["rediscluster-to-gaussredis"] == "Redis Cluster → GeminiDB Redis"
    assert LABELS["oracle-to-gaussdbv5"] == "Oracle → GaussDB Distributed"
