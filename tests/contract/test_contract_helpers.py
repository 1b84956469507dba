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
    directions_for,
    endpoint_name_for,
    endpoint_types_for,
    endpoint_types_for_side,
    engine_db_types,
    fast_clean_allowed,
    multi_write_allowed,
    net_types_for,
    node_num_allowed,
    node_types_for,
    period_num_range,
    public_ips_allowed,
    readonly_target_allowed,
    redis_shards,
    task_types_for,
    validate,
)
from tests.contract.bodies import mysql_sync_body


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
