"""Secrets: found at every place they can sit, masked for display, stripped and merged back."""

import json

from drsui.contract import (
    MASK,
    SECRET_FIELDS,
    body_for_validation,
    get_path,
    mask_secrets,
    merge_secrets,
    secret_paths,
    strip_secrets,
    validate,
)
from tests.contract.bodies import SECRET_VALUES, full_body, redis_body

FULL_BODY_SECRETS = {
    "source_endpoint.0.endpoint.db_password": "s3cret-1",
    "source_endpoint.0.endpoint.source_sharding.0.db_password": "shard-secret-1",
    "source_endpoint.0.ssl.ssl_cert_key": full_body()["job"]["source_endpoint"][0]["ssl"][
        "ssl_cert_key"
    ],
    "target_endpoint.0.endpoint.db_password": "s3cret-2",
    "target_endpoint.0.ssl.ssl_cert_key": full_body()["job"]["target_endpoint"][0]["ssl"][
        "ssl_cert_key"
    ],
    "target_endpoint.0.ssl.ssl_cert_password": "p12-secret",
}


def test_secret_fields_and_mask():
    assert SECRET_FIELDS == ("db_password", "ssl_cert_key", "ssl_cert_password")
    assert MASK == "******"


def test_secret_paths_lists_every_secret_in_document_order():
    assert secret_paths(full_body()) == list(FULL_BODY_SECRETS)


def test_masked_body_hides_every_secret_and_keeps_the_rest():
    body = full_body()
    before = json.dumps(body)
    masked = mask_secrets(body)
    text = json.dumps(masked, ensure_ascii=False)
    assert not [s for s in SECRET_VALUES if s.strip() in text]
    assert json.dumps(body) == before  # input not mutated
    source = masked["job"]["source_endpoint"][0]
    assert source["endpoint"]["db_password"] == MASK
    assert source["ssl"]["ssl_cert_key"] == MASK
    assert source["endpoint"]["ip"] == "10.0.0.10"
    assert validate(masked) == []


def test_masking_keeps_empty_secrets_visible_as_empty():
    body = redis_body()
    body["job"]["target_endpoint"][0]["endpoint"]["db_password"] = ""
    masked = mask_secrets(body)
    assert masked["job"]["target_endpoint"][0]["endpoint"]["db_password"] == ""
    assert masked["job"]["source_endpoint"][0]["endpoint"]["db_password"] == MASK


def test_secrets_outside_their_places_are_masked_too():
    body = {"job": {"base_info": {"notes": [{"db_password": "stray"}]}}, "db_password": "top"}
    assert json.dumps(mask_secrets(body)).count(MASK) == 2
    assert secret_paths(body) == ["base_info.notes.0.db_password"]


def test_strip_then_merge_gives_the_body_back():
    body = full_body()
    stripped, secrets = strip_secrets(body)
    assert secrets == FULL_BODY_SECRETS
    assert secret_paths(stripped) == []
    assert not [s for s in SECRET_VALUES if s.strip() in json.dumps(stripped, ensure_ascii=False)]
    assert merge_secrets(stripped, secrets) == body
    assert body == full_body()  # input not mutated


def test_merge_creates_missing_parents():
    merged = merge_secrets(
        {"job": {}},
        {
            "source_endpoint.0.endpoint.db_password": "pw",
            "target_endpoint.0.ssl.ssl_cert_password": "p12",
        },
    )
    assert merged == {
        "job": {
            "source_endpoint": [{"endpoint": {"db_password": "pw"}}],
            "target_endpoint": [{"ssl": {"ssl_cert_password": "p12"}}],
        }
    }
    assert merge_secrets({}, {"base_info.x": 1}) == {"job": {"base_info": {"x": 1}}}


def test_merge_with_masks_makes_a_draft_validate_like_the_real_thing():
    stripped, secrets = strip_secrets(full_body())
    assert {v.rule for v in validate(stripped)} == {"R-29", "R-32"}
    assert validate(merge_secrets(stripped, dict.fromkeys(secrets, MASK))) == []


def test_odd_input_comes_back_unchanged_or_empty():
    for odd in (None, 3, "x", [], [{"db_password": "x"}], {"job": "x"}, {"job": None}):
        assert secret_paths(odd) == []
        assert strip_secrets(odd) == (odd, {})
    assert mask_secrets([{"db_password": "x"}]) == [{"db_password": MASK}]
    assert merge_secrets("x", {"a": 1}) == "x"
    assert merge_secrets({"job": []}, {"a": 1}) == {"job": []}
    assert merge_secrets({"job": {}}, ["a"]) == {"job": {}}
    assert merge_secrets({"job": {}}, {"": 1, 5: 2, "a.99999999": 3}) == {"job": {}}


def test_the_body_for_validation_shows_each_stored_secret_as_the_mask():
    body, secrets = strip_secrets(full_body())
    masked = body_for_validation(body["job"], secrets)
    assert sorted(secret_paths(masked)) == sorted(FULL_BODY_SECRETS)
    assert all(get_path(masked["job"], path) == MASK for path in secrets)
    assert not any(value in json.dumps(masked) for value in SECRET_VALUES)
    assert validate(masked) == validate(full_body())
