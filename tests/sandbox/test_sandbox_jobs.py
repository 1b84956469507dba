import re
import time
from datetime import timedelta

import pytest
import requests
from sandbox_helpers import (
    OTHER_PROJECT_ID,
    SOURCE_PASSWORD,
    TARGET_PASSWORD,
    mysql_body,
)

from drsui.sandbox.jobs import drs_time
from tests.contract.bodies import terraform_body

DRS_TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


def assert_drs_error(response, status, code=None):
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    error = response.json()
    assert set(error) == {"error_code", "error_msg"}
    assert 1 <= len(error["error_msg"]) <= 512
    if code:
        assert error["error_code"] == code
    return error


def create(api, **body_options):
    response = api.create(mysql_body(**body_options))
    assert response.status_code == 200, response.text
    return response.json()["job"]


# --- create ---------------------------------------------------------------------------------


def test_a_valid_body_creates_a_job(api):
    response = api.create(mysql_body())

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    job = response.json()["job"]
    assert set(job) == {"id", "name", "status", "create_time"}
    assert (job["name"], job["status"]) == ("mysql-sync-1", "CREATING")
    assert re.fullmatch(DRS_TIME, job["create_time"])
    assert len(job["id"]) == 36


def test_the_body_terraform_sends_creates_a_job(api):
    # Contract revision 2: multi_write and is_open_fast_clean false, ip/db_port/db_name/ssl on
    # cloud endpoints (huaweicloud_drs_job_v5's documented example).
    response = api.create(terraform_body())

    assert response.status_code == 200, response.text
    assert response.json()["job"]["name"] == "tf_test_k3x9q"


def test_a_job_without_a_name_gets_one(api):
    job = create(api, name=None)

    assert re.fullmatch(r"DRS-\d+", job["name"])
    detail = api.request("GET", f"/jobs/{job['id']}").json()["job"]
    assert detail["base_info"]["name"] == job["name"]


@pytest.mark.parametrize("project_id", ["0123", "0123456789abcdef0123456789abcdeg", "x" * 32])
def test_a_project_id_of_another_shape_does_not_exist(api, project_id):
    response = api.request("GET", "/jobs", token="whatever", project_id=project_id)

    assert_drs_error(response, 404)


def test_a_missing_or_forged_token_is_401(api):
    assert_drs_error(api.create(mysql_body(), token=""), 401, "APIGW.0301")
    assert_drs_error(api.create(mysql_body(), token="forged.token.value"), 401, "APIGW.0301")


def test_another_projects_token_is_403(api):
    response = api.create(mysql_body(), token=api.token(OTHER_PROJECT_ID))

    assert_drs_error(response, 403, "APIGW.0302")


@pytest.mark.parametrize("payload", [b"", b"   ", b"{not json", b"\xff\xfe",
                                     b'{"job": {"period_order": {"period_num": NaN}}}',
                                     b'{"job": {"x": 1e400}}'])
def test_an_empty_or_non_json_body_is_400(api, payload):
    response = api.request("POST", "/jobs", data=payload)

    assert_drs_error(response, 400, "DRS.10000001")


def test_an_invalid_body_is_400_naming_the_first_field_and_rule(api):
    body = mysql_body()
    del body["job"]["source_endpoint"][0]["endpoint"]["ip"]

    error = assert_drs_error(api.create(body), 400)

    assert len(error["error_code"]) == 12
    assert error["error_msg"].startswith("source_endpoint.0.endpoint.ip: ")
    assert error["error_msg"].endswith("(R-27)")


def test_several_violations_are_counted(api):
    body = mysql_body()
    del body["job"]["source_endpoint"][0]["endpoint"]["ip"]
    body["job"]["base_info"]["description"] = "<b>"
    body["job"]["node_info"]["spec"]["node_type"] = "huge"

    error = assert_drs_error(api.create(body), 400, "DRS.10000001")

    assert re.fullmatch(r"base_info\.description: .* \(R-02\); and 2 more", error["error_msg"])


def test_a_huge_invalid_body_still_gets_a_short_message(api):
    body = mysql_body()
    body["job"]["base_info"]["x" * 5000] = "y"
    body["job"]["base_info"]["tags"] = [{"key": "k" * 100, "value": "v"}] * 300

    error = assert_drs_error(api.create(body), 400, "DRS.10000001")

    assert "more" in error["error_msg"]


def test_a_start_time_in_the_past_is_refused(api):
    body = mysql_body()
    body["job"]["base_info"]["start_time"] = str(int(time.time() * 1000) - 60_000)

    error = assert_drs_error(api.create(body), 400, "DRS.10000001")

    assert error["error_msg"].startswith("base_info.start_time")


def test_a_name_is_unique_per_project_ignoring_case(api):
    create(api, name="Orders-Sync")

    error = assert_drs_error(api.create(mysql_body(name="orders-sync")), 400, "DRS.M0027700")
    assert error["error_msg"].startswith("base_info.name")

    other = api.create(mysql_body(name="orders-sync"), project_id=OTHER_PROJECT_ID)
    assert other.status_code == 200


# --- detail ---------------------------------------------------------------------------------


def test_detail_is_the_submitted_job_without_secrets(api):
    job = create(api)

    response = api.request("GET", f"/jobs/{job['id']}")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    detail = response.json()["job"]
    assert {key: detail[key] for key in ("id", "name", "status", "create_time")} == job
    submitted = mysql_body()["job"]
    for side in ("source_endpoint", "target_endpoint"):
        del submitted[side][0]["endpoint"]["db_password"]
    assert {key: detail[key] for key in submitted} == submitted
    assert SOURCE_PASSWORD not in response.text and TARGET_PASSWORD not in response.text
    assert "db_password" not in response.text


def test_the_status_moves_to_configuration_after_the_delay(api, sandbox_clock):
    job = create(api)
    sandbox_clock.advance(0.19)
    assert api.request("GET", f"/jobs/{job['id']}").json()["job"]["status"] == "CREATING"

    sandbox_clock.advance(0.01)

    assert api.request("GET", f"/jobs/{job['id']}").json()["job"]["status"] == "CONFIGURATION"


def test_the_detail_says_when_the_status_last_changed(api, sandbox_clock):
    job = create(api)
    detail = api.request("GET", f"/jobs/{job['id']}").json()["job"]
    assert detail["update_time"] == job["create_time"]  # CREATING since the create
    sandbox_clock.advance(3600)

    detail = api.request("GET", f"/jobs/{job['id']}").json()["job"]

    assert detail["status"] == "CONFIGURATION" and re.fullmatch(DRS_TIME, detail["update_time"])
    # Reached after the configuration delay (0.2 s here), not when it was read an hour later.
    assert detail["update_time"] < drs_time(sandbox_clock.now() - timedelta(minutes=59))


def test_an_unknown_or_foreign_job_is_404(api):
    job = create(api, name="mine")
    other_token = api.token(OTHER_PROJECT_ID)

    assert_drs_error(api.request("GET", "/jobs/nope"), 404, "DRS.10000010")
    foreign = api.request(
        "GET", f"/jobs/{job['id']}", project_id=OTHER_PROJECT_ID, token=other_token
    )
    assert_drs_error(foreign, 404, "DRS.10000010")


# --- list -----------------------------------------------------------------------------------


def test_list_shape_order_paging_and_filters(api, sandbox_clock):
    first = create(api, name="alpha-one")
    sandbox_clock.advance(0.2)  # alpha-one reaches CONFIGURATION; the others are still CREATING
    create(api, name="beta-two")
    create(api, name="Alpha-three")

    listing = api.request("GET", "/jobs").json()
    assert listing["total_count"] == 3
    assert [job["name"] for job in listing["jobs"]] == ["Alpha-three", "beta-two", "alpha-one"]
    assert listing["jobs"][-1] == {
        "id": first["id"],
        "name": "alpha-one",
        "status": "CONFIGURATION",
        "engine_type": "mysql-to-mysql",
        "job_type": "sync",
        "net_type": "eip",
        "charging_mode": "on_demand",
        "job_direction": "up",
        "create_time": first["create_time"],
        "description": "orders to the cloud",
    }

    page = api.request("GET", "/jobs", params={"offset": 1, "limit": 1}).json()
    assert (page["total_count"], [job["name"] for job in page["jobs"]]) == (3, ["beta-two"])

    named = api.request("GET", "/jobs", params={"name": "ALPHA"}).json()
    assert [job["name"] for job in named["jobs"]] == ["Alpha-three", "alpha-one"]

    configured = api.request("GET", "/jobs", params={"status": "CONFIGURATION"}).json()
    assert [job["name"] for job in configured["jobs"]] == ["alpha-one"]


@pytest.mark.parametrize(
    "params", [{"offset": "-1"}, {"offset": "x"}, {"limit": "0"}, {"limit": "1001"}, {"limit": ""}]
)
def test_bad_paging_is_400(api, params):
    assert_drs_error(api.request("GET", "/jobs", params=params), 400, "DRS.10000001")


# --- actions --------------------------------------------------------------------------------


def action(api, job_id, action_name):
    return api.request("POST", f"/jobs/{job_id}/action", json={"job": {"action_name": action_name}})


def status_of(api, job_id):
    return api.request("GET", f"/jobs/{job_id}").json()["job"]["status"]


def test_network_and_precheck_results(api, sandbox_clock):
    job_id = create(api)["id"]
    assert_drs_error(action(api, job_id, "precheck"), 400)  # still CREATING
    sandbox_clock.advance(0.2)

    query_id = action(api, job_id, "network").json()["query_id"]
    result = api.request(
        "GET", f"/jobs/{job_id}", params={"type": "network", "query_id": query_id}
    ).json()
    assert result["status"] == "success"
    assert {item["item"] for item in result["results"]} == {"source", "target"}
    assert all(item["success"] is True for item in result["results"])

    query_id = action(api, job_id, "precheck").json()["query_id"]
    result = api.request(
        "GET", f"/jobs/{job_id}", params={"type": "precheck", "query_id": query_id}
    ).json()
    assert result["total_passed_rate"] == "100%"
    assert all(item["result"] == "PASS" and item["item"] for item in result["results"])

    wrong_type = api.request(
        "GET", f"/jobs/{job_id}", params={"type": "network", "query_id": query_id}
    )
    assert_drs_error(wrong_type, 400)


def test_start_stop_and_terminate(api, sandbox_clock):
    job_id = create(api)["id"]
    assert_drs_error(action(api, job_id, "start"), 400, "DRS.10000020")
    sandbox_clock.advance(0.2)

    assert action(api, job_id, "start").status_code == 200
    assert status_of(api, job_id) == "STARTJOBING"
    sandbox_clock.advance(0.2)
    assert status_of(api, job_id) == "INCRE_TRANSFER_STARTED"

    assert action(api, job_id, "stop").status_code == 200
    assert status_of(api, job_id) == "PAUSING"
    assert action(api, job_id, "terminate").status_code == 200
    assert status_of(api, job_id) == "RELEASE_RESOURCE_COMPLETE"


def test_a_full_only_task_starts_a_full_transfer(api, sandbox_clock):
    job_id = create(api, task_type="FULL_TRANS")["id"]
    sandbox_clock.advance(0.2)
    action(api, job_id, "start")
    sandbox_clock.advance(0.2)

    assert status_of(api, job_id) == "FULL_TRANSFER_STARTED"


@pytest.mark.parametrize(
    "body", [{"job": {"action_name": "explode"}}, {"job": {}}, {"action_name": "start"}, [], None]
)
def test_an_unknown_or_missing_action_is_400(api, body):
    job_id = create(api)["id"]

    response = api.request("POST", f"/jobs/{job_id}/action", json=body)

    assert_drs_error(response, 400, "DRS.10000001")


def test_actions_on_unknown_jobs_are_404(api):
    assert_drs_error(action(api, "nope", "start"), 404, "DRS.10000010")


def test_unknown_paths_and_methods_answer_json(api, sandbox_url):
    assert_drs_error(requests.get(f"{sandbox_url}/v9/whatever", timeout=5), 404)
    assert_drs_error(api.request("DELETE", "/jobs"), 405)
