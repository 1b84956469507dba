"""The wizard's field table against the contract's shape: in every context (scenario,
direction, where each database lives, billing) the wizard offers an input for exactly the
fields the validator accepts there; what it accepts only as given (a false flag, a read-only
status) is kept and listed, never offered."""

import copy
import itertools

import pytest

from drsui import contract as c
from drsui.wizard.fields import FIELDS
from drsui.wizard.steps import step_for_path

SAMPLES = {
    "name": "drs-task-9", "description": "nightly", "start_time": "4102444800000",
    "expired_days": "20", "enterprise_project_id": "ep-1", "charging_mode": "on_demand",
    "task_type": "FULL_INCR_TRANS", "net_type": "eip", "id": "id-9", "ip": "10.0.0.9",
    "db_port": "3306", "db_user": "u", "db_password": "pw", "instance_id": "i-9",
    "instance_name": "inst", "db_name": "orders", "region": "cn-north-4",
    "project_id": "9dc8c0f3f74c4dbb23c29cf0318ee561", "az_code": "cn-north-4a",
    "vpc_id": "vpc-9", "subnet_id": "subnet-9", "security_group_id": "sg-9", "node_num": 1,
    "ssl_cert_name": "ca.pem", "ssl_cert_key": "QUJDRA==", "ssl_cert_check_sum": "ab12",
    "ssl_cert_password": "pw", "set_dns_action": "add", "dns_ip": "10.0.0.53",
    "custom_node_ip": "10.0.0.5", "instance_type": "single", "arch": "x86",
    "availability_zone": "cn-north-4a", "status": "ACTIVE", "role": "master",
    "period_type": 2, "period_num": 1, "is_auto_renew": 1, "node_type": "high",
    "key": "team", "value": "dba", "public_ip": "203.0.113.9", "type": "master",
}
# Set by drsui, never typed (R-20…R-23); job_type is the scenario input's other half.
DERIVED = {"job_type", "db_type", "endpoint_role", "endpoint_name"}
# Accepted only as given: offered as an input, they could be set to what DRS refuses.
KEPT_AS_GIVEN = {"status", "role"}  # read-only


def _kept_as_given(path, job) -> bool:
    """A Redis Cluster lists its shards in `ip` (R-27): physical shards beside that list are
    accepted, kept and listed, but not offered, so the two cannot be confused."""
    return ".source_sharding." in path and c.get_path(
        job, "source_endpoint.0.db_type") == "rediscluster"


def _endpoint(side, db, endpoint_type):
    endpoint = {"endpoint_name": c.endpoint_name_for(db, endpoint_type), "db_user": "u",
                "db_password": "pw"}
    if endpoint_type == "cloud":
        endpoint["instance_id"] = "i-1"
    elif db == "rediscluster":
        endpoint["ip"] = "10.0.0.1:6379,10.0.0.2:6379"
    else:
        endpoint.update(ip="10.0.0.1", db_port="3306")
    if db == "oracle":
        endpoint["db_name"] = "orcl"
    entry = {"db_type": db, "endpoint_type": endpoint_type,
             "endpoint_role": "so" if side == "source" else "ta", "endpoint": endpoint}
    if endpoint_type in ("ecs", "cloud"):
        entry["cloud"] = {"region": "cn-north-4", "project_id": "p-1"}
    if endpoint_type == "ecs":
        entry["vpc"] = {"vpc_id": "v-1", "subnet_id": "s-1"}
    return entry


def _contexts():
    for (job_type, engine), period in itertools.product(c.SCENARIOS, (False, True)):
        for direction in c.directions_for(engine):
            sources, targets = (c.endpoint_types_for_side(engine, direction, side)
                                for side in ("source", "target"))
            for source_type, target_type in itertools.product(sources, targets):
                yield job_type, engine, direction, source_type, target_type, period


def _body(job_type, engine, direction, source_type, target_type, period):
    source_db, target_db = c.engine_db_types(engine)
    base = {"name": "drs-task-1", "job_type": job_type, "engine_type": engine,
            "job_direction": direction, "task_type": "FULL_INCR_TRANS", "net_type": "eip"}
    job = {"base_info": base, "source_endpoint": [_endpoint("source", source_db, source_type)],
           "target_endpoint": [_endpoint("target", target_db, target_type)],
           "node_info": {"spec": {"node_type": c.node_types_for(job_type)[-1]},
                         "vpc": {"vpc_id": "v-1", "subnet_id": "s-1"}}}
    if job_type == "cloudDataGuard":
        base["multi_write"] = True
    if period:
        base["charging_mode"] = "period"
        job["period_order"] = {"period_type": 2, "period_num": 1}
    return job


def _item(list_path, job):
    """One valid item of a list the shape has."""
    if list_path.endswith("source_sharding"):  # a shard is an endpoint like its source's
        return {k: v for k, v in c.get_path(job, list_path.rsplit(".", 1)[0]).items()}
    return {"tags": {"key": "team", "value": "dba"},
            "public_ip_list": {"id": "e-1", "public_ip": "203.0.113.9", "type": "master"}
            }[list_path.rsplit(".", 1)[-1]]


def _offered(job) -> set[str]:
    paths = set()
    for f in FIELDS:
        if not f.shown(job):
            continue
        paths.add(f.path)
        paths.update(f"{f.path}.0.{s.path}" for s in f.subfields)
    return paths


# A field shown once a toggle of the body is on: judged with the toggle on.
TOGGLES = {"ssl": ("ssl_link", True), "customized_dns": ("is_set_dns", True),
           "base_info": ("instance_type", "single"),
           "ssl_cert_password": ("ssl_cert_name", "client.p12")}  # for a .p12 file


def _trial(job, path, value) -> dict:
    """The context's body with `value` at `path` (in a valid list item, its toggle on)."""
    trial = copy.deepcopy(job)
    parent, _, last = path.rpartition(".")
    if parent.endswith(".0") and c.get_path(trial, parent) is None:
        c.set_path(trial, parent, _item(parent[:-2], job))
    toggle = TOGGLES.get(last) or TOGGLES.get(parent.rpartition(".")[2])
    if toggle and last != toggle[0] and parent != "base_info":
        c.set_path(trial, f"{parent}.{toggle[0]}", toggle[1])
        if last == "ssl_cert_password":
            c.set_path(trial, f"{parent}.ssl_link", True)
    if c.get_path(trial, path) is None:
        c.set_path(trial, path, value)
    return trial


def _accepted(trial, path) -> bool:
    """No violation at the path or above it (R-40 refuses all of period_order at once)."""
    return not any(path == v.path or path.startswith(v.path + ".")
                   for v in c.validate({"job": trial}) if v.path)


def _leaves():
    for pattern, kind in c.shape_paths():
        if kind not in ("obj", "list"):
            yield pattern.replace("*", "0"), kind


@pytest.mark.parametrize("context", list(_contexts()), ids=lambda t: "-".join(map(str, t)))
def test_the_wizard_offers_exactly_what_the_validator_accepts(context):
    job = _body(*context)
    assert c.validate({"job": job}) == []
    wrong = []
    for path, kind in _leaves():
        last = path.rsplit(".", 1)[-1]
        if last in DERIVED:
            continue
        trial = _trial(job, path, True if kind == "bool" else SAMPLES.get(last, "x"))
        offered = path in _offered(trial)
        if kind == "bool":  # a checkbox must be able to say true
            can_be_true = _accepted(trial, path)
            if can_be_true != offered:
                wrong.append((path, "offered" if offered else "not offered",
                              "true accepted" if can_be_true else "true refused"))
            continue
        accepted = _accepted(trial, path) and not (
            last in KEPT_AS_GIVEN or _kept_as_given(path, job))
        if accepted != offered:
            wrong.append((path, "offered" if offered else "not offered",
                          "accepted" if accepted else "refused"))
    assert not wrong, "\n".join(map(str, wrong))


def test_every_field_lives_on_the_step_that_owns_its_path():
    """steps.py says which step owns a path (where a violation or a DRS 400 is shown); the
    field table says where each input is: they agree, and no part of the shape is unowned."""
    assert [f.path for f in FIELDS if step_for_path(f.path).slug != f.step] == []
    assert [p for p, _ in _leaves() if step_for_path(p).slug == "review"] == []
