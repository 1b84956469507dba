"""derive(): what a body's author never types is set from the rest (R-20…R-23, R-34)."""

import pytest

from drsui import contract as c
from tests.contract.bodies import VALID_BODIES


def _without_derived(job: dict) -> dict:
    job = c.copy_json(job)
    for side in ("source_endpoint", "target_endpoint"):
        entry = job[side][0]
        del entry["db_type"], entry["endpoint_role"]
        del entry["endpoint"]["endpoint_name"]
        for shard in entry["endpoint"].get("source_sharding") or ():
            shard.pop("endpoint_name", None)
    if len(c.directions_for(job["base_info"]["engine_type"])) == 1:
        del job["base_info"]["job_direction"]
    return job


@pytest.mark.parametrize("name", sorted(VALID_BODIES))
def test_derive_puts_back_every_value_a_valid_body_never_asks_for(name):
    job = VALID_BODIES[name]()["job"]
    derived = _without_derived(job)
    c.derive(derived)
    assert derived == job


def test_derive_follows_a_changed_engine_and_endpoint_type():
    job = c.copy_json(VALID_BODIES["mysql_sync"]()["job"])
    job["source_endpoint"][0]["endpoint_type"] = "ecs"
    job["source_endpoint"][0]["endpoint"]["endpoint_name"] = "mysql"
    c.derive(job)
    assert job["source_endpoint"][0]["endpoint"]["endpoint_name"] == "ecs_mysql"

    job["base_info"]["engine_type"] = "oracle-to-gaussdbv5"
    c.derive(job)
    assert job["base_info"]["job_direction"] == "up"
    assert [job[s][0]["db_type"] for s in ("source_endpoint", "target_endpoint")] == [
        "oracle", "gaussdbv5"]


def test_derive_leaves_a_body_without_endpoints_as_it_is():
    job = {"base_info": {"engine_type": "no-such-engine"}}
    c.derive(job)
    assert job == {"base_info": {"engine_type": "no-such-engine"}}
