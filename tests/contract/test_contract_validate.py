"""validate() as its callers see it: examples, order, paths for partial bodies, messages, limits."""

import json

import pytest

from drsui.contract import (
    MAX_VIOLATIONS,
    RULES,
    Violation,
    normalise,
    set_path,
    validate,
    warnings,
)
from tests.contract.bodies import (
    EXAMPLES,
    SECRET_VALUES,
    VALID_BODIES,
    VENDORED_EXAMPLES,
    full_body,
    mysql_sync_body,
    period_body,
)


def pairs(violations):
    return [(v.path, v.rule) for v in violations]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_shared_examples_are_valid(path):
    assert validate(json.loads(path.read_text())) == []


def test_the_api_page_and_terraform_examples_are_found():
    assert [p.name for p in EXAMPLES] == [
        "seed-oracle-to-gaussdbv5-with-eip.json",
        "seed-oracle-to-gaussdbv5.json",
        "terraform-example-as-sent.json",
    ]


def test_vendored_examples_match_the_shared_ones():
    if EXAMPLES == VENDORED_EXAMPLES:
        pytest.skip("no ../shared/examples next to this checkout")
    assert [p.read_text() for p in EXAMPLES] == [p.read_text() for p in VENDORED_EXAMPLES]


@pytest.mark.parametrize("make", VALID_BODIES.values(), ids=list(VALID_BODIES))
def test_fixture_bodies_are_valid_and_carry_no_warning(make):
    assert validate(make()) == []
    assert warnings(make()) == []


def test_violation_as_dict_uses_field_rule_message():
    violation = validate({"job": {"base_info": {"name": "x"}}})[0]
    assert violation == Violation("base_info.name", "R-01", violation.message)
    assert violation.as_dict() == {
        "field": "base_info.name",
        "rule": "R-01",
        "message": "Name must be 4–50 characters: letters, digits, - and _, "
        "starting with a letter.",
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (None, [("", "R-00")]),
        ([{"job": {}}], [("", "R-00")]),
        ("job", [("", "R-00")]),
        ({}, [("", "R-00")]),
        ({"job": []}, [("", "R-00")]),
        ({"job": None}, [("", "R-00")]),
        ({"extra": 1, "job": "x"}, [("extra", "R-00"), ("", "R-00")]),
    ],
)
def test_envelope_problems_use_the_empty_path(body, expected):
    assert pairs(validate(body)) == expected


def test_an_extra_top_level_key_is_reported_beside_the_job_problems():
    body = mysql_sync_body()
    body["jobs"] = {}
    assert pairs(validate(body)) == [("jobs", "R-00")]


def test_violations_follow_document_order():
    body = mysql_sync_body()
    job = body["job"]
    job["node_info"]["spec"]["node_type"] = "huge"
    job["base_info"]["name"] = "1"
    job["source_endpoint"][0]["endpoint"]["db_port"] = "0"
    expected = [
        ("base_info.name", "R-01"),
        ("source_endpoint.0.endpoint.db_port", "R-28"),
        ("node_info.spec.node_type", "R-51"),
    ]
    assert pairs(validate(body)) == expected
    reordered = {"job": {"node_info": job.pop("node_info"), **job}}
    assert pairs(validate(reordered)) == expected[-1:] + expected[:-1]


def test_each_unknown_key_is_reported_at_its_own_path():
    body = mysql_sync_body()
    body["job"]["base_info"]["nmae"] = "x"
    body["job"]["source_endpoint"][0]["endpoint"]["pasword"] = "x"
    body["job"]["surprise"] = {"deep": [1, 2]}
    assert pairs(validate(body)) == [
        ("base_info.nmae", "R-00"),
        ("source_endpoint.0.endpoint.pasword", "R-00"),
        ("surprise", "R-00"),
    ]
    assert 'Did you mean "name"?' in validate(body)[0].message


def test_a_base_info_step_sees_only_the_missing_later_sections_at_their_own_paths():
    body = {"job": {"base_info": mysql_sync_body()["job"]["base_info"]}}
    assert pairs(validate(body)) == [
        ("source_endpoint", "R-20"),
        ("target_endpoint", "R-20"),
        ("node_info", "R-50"),
    ]


def test_a_partial_body_reports_cross_section_rules_on_the_field_to_fix():
    body = mysql_sync_body()
    body["job"]["base_info"]["job_direction"] = "non-dbs"
    del body["job"]["node_info"]
    assert pairs(validate(body)) == [
        ("target_endpoint.0.endpoint_type", "R-10"),
        ("node_info", "R-50"),
    ]


def test_messages_never_show_secret_values():
    body = full_body()
    job = body["job"]
    # Secrets in wrong places and of wrong types are reported without their values.
    job["base_info"]["db_password"] = "s3cret-1"
    job["target_endpoint"][0]["endpoint"]["db_password"] = ["s3cret-2"]
    job["source_endpoint"][0]["ssl"]["ssl_cert_key"] = "p12-secret not base64"
    found = validate(body)
    assert pairs(found) == [
        ("base_info.db_password", "R-00"),
        ("source_endpoint.0.ssl.ssl_cert_key", "R-32"),
        ("target_endpoint.0.endpoint.db_password", "R-00"),
    ]
    text = json.dumps([v.as_dict() for v in found], ensure_ascii=False)
    assert not [s for s in SECRET_VALUES if s.strip() in text]


def test_long_input_is_not_echoed_at_length():
    body = mysql_sync_body()
    body["job"]["base_info"]["x" * 5000] = 1
    body["job"]["base_info"]["tags"] = [{"key": "k" * 5000, "value": "v"}]
    found = validate(body)
    assert [v.rule for v in found] == ["R-00", "R-04"]
    assert all(len(v.message) <= 400 and len(v.path) < 200 for v in found)


def test_too_many_problems_are_cut_with_one_final_note():
    body = mysql_sync_body()
    body["job"]["base_info"]["tags"] = [{"key": "bad key"}] * 5000
    found = validate(body)
    assert len(found) == MAX_VIOLATIONS + 1
    assert found[0] == Violation("base_info.tags", "R-04", found[0].message)
    assert pairs(found[1:3]) == [("base_info.tags.0.key", "R-04"), ("base_info.tags.1.key", "R-04")]
    assert found[-1].path == "" and found[-1].rule == "R-00"
    assert "first 200" in found[-1].message


def test_every_rule_id_used_has_a_summary():
    assert set(RULES) == {
        f"R-{n:02d}" for n in [0, *range(1, 12), *range(20, 35), 40, 41, 42, 50, 51, 52, 53, 60]
    }
    assert all(summary and len(summary) < 200 for summary in RULES.values())


# R-42 -----------------------------------------------------------------------------------------


def test_expired_days_on_a_yearly_monthly_task_is_a_warning_not_an_error():
    body = period_body()
    body["job"]["base_info"]["expired_days"] = "30"
    assert validate(body) == []
    assert pairs(warnings(body)) == [("base_info.expired_days", "R-42")]


def test_no_warning_for_pay_per_use_or_odd_input():
    assert warnings(mysql_sync_body()) == []
    assert warnings([]) == warnings({"job": 1}) == warnings({"job": {"base_info": []}}) == []


# import normalisation ------------------------------------------------------------


def test_normalise_turns_integer_days_and_ports_into_strings():
    body = full_body()
    job = body["job"]
    job["base_info"]["expired_days"] = 30
    job["source_endpoint"][0]["endpoint"]["db_port"] = 3306
    job["source_endpoint"][0]["endpoint"]["source_sharding"][0]["db_port"] = 3307
    assert pairs(validate(body)) == [
        ("base_info.expired_days", "R-00"),
        ("source_endpoint.0.endpoint.db_port", "R-00"),
        ("source_endpoint.0.endpoint.source_sharding.0.db_port", "R-00"),
    ]
    fixed = normalise(body)
    assert validate(fixed) == []
    assert fixed["job"]["base_info"]["expired_days"] == "30"
    assert fixed["job"]["source_endpoint"][0]["endpoint"]["db_port"] == "3306"
    assert job["base_info"]["expired_days"] == 30  # the input is not changed


def test_normalise_leaves_other_values_and_odd_input_alone():
    body = mysql_sync_body()
    set_path(body["job"], "source_endpoint.0.endpoint.db_port", True)
    assert normalise(body) == body
    for odd in (None, [], "x", {"job": []}, {"job": {"source_endpoint": "x", "base_info": 1}}):
        assert normalise(odd) == odd


# R-05 ----------------------------------------------------------------------------------------


def test_start_time_is_checked_against_now_only_when_now_is_given():
    body = mysql_sync_body()
    body["job"]["base_info"]["start_time"] = "1000"
    assert validate(body) == []
    assert pairs(validate(body, now_ms=999)) == []
    assert pairs(validate(body, now_ms=1000)) == [("base_info.start_time", "R-05")]
