import re

import pytest
from drs_helpers import DB_PASSWORD, PROJECT_ID, job_body, scripted_client

from drsui.drs import DrsApiError, DrsUnavailable


def test_create_returns_the_job(make_client):
    job = make_client().create_job(job_body())

    assert set(job) >= {"id", "name", "status", "create_time"}
    assert (job["name"], job["status"]) == ("DRS-1234", "CREATING")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", job["create_time"])


def test_an_invalid_body_is_an_api_error_naming_field_and_rule(make_client):
    body = job_body()
    del body["job"]["source_endpoint"][0]["endpoint"]["ip"]

    with pytest.raises(DrsApiError) as caught:
        make_client().create_job(body)

    error = caught.value
    assert error.status == 400
    assert len(error.error_code) == 12
    assert error.error_msg.startswith("source_endpoint.0.endpoint.ip: ")
    assert "(R-27)" in error.error_msg


def test_a_duplicate_name_has_its_own_code(make_client):
    client = make_client()
    client.create_job(job_body(name="Orders-sync"))

    with pytest.raises(DrsApiError) as caught:
        client.create_job(job_body(name="orders-SYNC"))

    assert caught.value.error_code == "DRS.M0027700"
    assert "base_info.name" in caught.value.error_msg


def test_the_create_reply_is_accepted_unwrapped():
    job = {"id": "c7debc9c", "name": "DRS-1234", "status": "CREATING", "create_time": "x"}
    client, adapter = scripted_client((200, job))

    assert client.create_job(job_body()) == job
    request = adapter.sent[0][0]
    assert (request.method, request.url) == ("POST", f"http://drs.test/v5/{PROJECT_ID}/jobs")
    assert request.headers["X-Auth-Token"] == "static-token-value"


def test_a_create_reply_without_a_job_id_is_outcome_unknown():
    client, _ = scripted_client((200, {"job": {"status": "CREATING"}}))

    with pytest.raises(DrsUnavailable) as caught:
        client.create_job(job_body())

    assert caught.value.sent is True


def test_get_list_and_status_change(make_client, clock):
    client = make_client()
    created = client.create_job(job_body())

    job = client.get_job(created["id"])
    assert (job["id"], job["name"], job["status"]) == (created["id"], "DRS-1234", "CREATING")
    assert job["base_info"]["engine_type"] == "oracle-to-gaussdbv5"
    assert "db_password" not in job["source_endpoint"][0]["endpoint"]

    clock.advance(0.2)
    assert client.get_job(created["id"])["status"] == "CONFIGURATION"

    listed = client.list_jobs(name="drs-12", status="CONFIGURATION")
    assert listed["total_count"] == 1
    assert listed["jobs"][0]["id"] == created["id"]
    assert client.list_jobs(status="CREATING") == {"total_count": 0, "jobs": []}


def test_an_unknown_job_is_a_404_api_error(make_client):
    with pytest.raises(DrsApiError) as caught:
        make_client().get_job("no-such-job")

    assert (caught.value.status, caught.value.error_code) == (404, "DRS.10000010")


def test_actions_and_their_results(make_client, clock):
    client = make_client()
    job_id = client.create_job(job_body())["id"]
    clock.advance(0.2)

    network = client.job_action(job_id, "network")
    result = client.get_job_action_result(job_id, "network", network["query_id"])
    assert result["status"] == "success"
    assert all(item["success"] for item in result["results"])

    precheck = client.job_action(job_id, "precheck")
    result = client.get_job_action_result(job_id, "precheck", precheck["query_id"])
    assert result["total_passed_rate"] == "100%"
    assert {item["result"] for item in result["results"]} == {"PASS"}

    client.job_action(job_id, "start")
    assert client.get_job(job_id)["status"] == "STARTJOBING"
    clock.advance(0.2)
    assert client.get_job(job_id)["status"] == "INCRE_TRANSFER_STARTED"

    with pytest.raises(DrsApiError):
        client.job_action(job_id, "start")


def test_calls_are_logged_without_bodies_or_secrets(make_client, caplog):
    caplog.set_level("INFO", logger="drsui.drs")

    make_client().create_job(job_body())

    messages = [record.getMessage() for record in caplog.records]
    assert any(m.startswith("IAM POST /v3/auth/tokens -> 201 in ") for m in messages)
    assert any(m.startswith(f"DRS POST /sandbox/v5/{PROJECT_ID}/jobs -> 200 in ") for m in messages)
    assert DB_PASSWORD not in caplog.text and "ORACLE_USER" not in caplog.text
    assert "sandbox" not in caplog.text.replace("/sandbox/", "")  # no IAM user or password
