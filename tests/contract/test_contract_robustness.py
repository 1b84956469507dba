"""validate() and the secrets helpers never raise, whatever JSON they get."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from drsui.contract import (
    MASK,
    Violation,
    get_path,
    mask_secrets,
    merge_secrets,
    normalise,
    secret_paths,
    strip_secrets,
    validate,
    warnings,
)
from drsui.contract.validate import INCOMPLETE
from tests.contract.bodies import VALID_BODIES, full_body
from tests.properties import examples

FAST = settings(max_examples=examples(300))  # deadline and health checks: tests.properties

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["", "0", "up", "mysql", "cloud", "ha", "eip", "db_password", "1.2.3.4"])
)
json_values = st.recursive(
    json_leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(max_size=12) | st.sampled_from(["job", "base_info"]), inner, max_size=4
        )
    ),
    max_leaves=30,
)


def assert_well_formed(found):
    assert isinstance(found, list)
    for violation in found:
        assert isinstance(violation, Violation)
        assert all(isinstance(x, str) for x in (violation.path, violation.rule, violation.message))
        assert violation.message and len(violation.message) <= 400
        assert violation.message != INCOMPLETE  # the never-raise safety net was not needed
        json.dumps(violation.as_dict())


def leaves(value, path=()):
    """(path, leaf) of every non-container value, and of empty containers."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def replaced(body, path, new):
    *parents, last = path
    target = body
    for key in parents:
        target = target[key]
    target[last] = new
    return body


ALL_LEAVES = [(name, path) for name, make in VALID_BODIES.items() for path, _ in leaves(make())]


@FAST
@given(json_values)
def test_any_json_value_gives_a_list_of_violations(value):
    assert_well_formed(validate(value))
    assert_well_formed(validate({"job": value}))
    assert_well_formed(warnings(value))


@FAST
@given(st.sampled_from(ALL_LEAVES), json_values)
def test_a_valid_body_with_any_leaf_replaced_never_raises(leaf, new):
    name, path = leaf
    body = replaced(VALID_BODIES[name](), path, new)
    assert_well_formed(validate(body, now_ms=0))
    assert_well_formed(warnings(body))
    assert_well_formed(validate(normalise(body)))


def nested_lists(depth, leaf="x"):
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def test_deep_nesting_is_refused_without_recursion():
    deep = nested_lists(50_000)
    body = full_body()
    body["job"]["base_info"]["unknown"] = deep
    body["job"]["base_info"]["tags"] = deep
    body["job"]["source_endpoint"] = deep
    body["job"]["node_info"]["spec"]["node_type"] = deep
    found = validate(body)
    assert [(v.path, v.rule) for v in found] == [
        ("base_info.tags.0", "R-00"),
        ("base_info.unknown", "R-00"),
        ("source_endpoint.0", "R-00"),
        ("node_info.spec.node_type", "R-00"),
    ]
    assert validate({"job": deep}) == [Violation("", "R-00", validate({"job": []})[0].message)]


def test_deep_nesting_in_secret_helpers_does_not_raise():
    body = full_body()
    body["job"]["base_info"]["unknown"] = nested_lists(50_000, {"db_password": "deep-secret"})
    deep_path = "base_info.unknown" + ".0" * 50_000 + ".db_password"
    paths = secret_paths(body)
    assert paths[0] == deep_path
    assert len(paths) == 7
    assert get_path(mask_secrets(body)["job"], deep_path) == MASK
    stripped, secrets = strip_secrets(body)
    assert get_path(stripped["job"], deep_path) is None
    merged = merge_secrets(stripped, secrets)
    assert get_path(merged["job"], deep_path) == "deep-secret"
    for whole in (merged, body):  # == on 50,000 levels would recurse: compare the rest
        del whole["job"]["base_info"]["unknown"]
    assert merged == body


def test_huge_strings_are_answered():
    huge = "9" * 10_000_000
    body = full_body()
    job = body["job"]
    base = job["base_info"]
    for key in ("name", "description", "start_time", "expired_days", "job_type"):
        base[key] = huge
    base["tags"][0]["key"] = huge
    source = job["source_endpoint"][0]
    for key in ("ip", "db_port", "db_user", "db_password"):
        source["endpoint"][key] = huge
    source["ssl"]["ssl_cert_key"] = huge + "%"
    source["customized_dns"]["dns_ip"] = huge
    job["node_info"]["vpc"]["custom_node_ip"] = huge
    job["node_info"]["base_info"]["availability_zone"] = ",".join([huge[:100]] * 100_000)
    job["public_ip_list"][0]["public_ip"] = huge
    job[huge] = 1
    found = validate(body)
    assert_well_formed(found)
    assert {v.rule for v in found} >= {
        "R-01",
        "R-02",
        "R-03",
        "R-04",
        "R-05",
        "R-06",
        "R-27",
        "R-28",
        "R-32",
        "R-33",
        "R-52",
        "R-53",
        "R-60",
        "R-00",
    }
    assert max(len(v.path) for v in found) < 200


def test_huge_arrays_are_cut_short():
    body = full_body()
    body["job"]["public_ip_list"] = [{"type": "master"}] * 1_000_000
    found = validate(body)
    assert len(found) == 201
