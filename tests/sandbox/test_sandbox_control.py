import pytest
import requests
from django.test import Client
from sandbox_helpers import mysql_body

from drsui.sandbox.faults import faults_as_dict, set_faults
from drsui.sandbox.models import SandboxJob

NO_FAULTS = {
    "latency_ms": 0,
    "error_rate": 0.0,
    "hang_seconds": 0.0,
    "malformed_rate": 0.0,
    "drop_rate": 0.0,
    "hang_rate": 1.0,
    "scope": "all",
    "requests_seen": 0,
}


def test_faults_are_read_set_and_cleared_over_http(sandbox_url):
    url = f"{sandbox_url}/_control/faults"
    assert requests.get(url, timeout=5).json() == NO_FAULTS

    response = requests.put(url, json={"latency_ms": 5, "error_rate": 0.25}, timeout=5)
    assert response.status_code == 200
    assert response.json() == {**NO_FAULTS, "latency_ms": 5, "error_rate": 0.25}
    assert faults_as_dict()["error_rate"] == 0.25

    # PUT replaces: whatever is not given is no fault.
    assert requests.put(url, json={"scope": "create"}, timeout=5).json()["error_rate"] == 0.0

    assert requests.delete(url, timeout=5).json() == NO_FAULTS


@pytest.mark.parametrize(
    "values",
    [
        {"error_rate": 2},
        {"error_rate": "0.5"},
        {"latency_ms": -1},
        {"latency_ms": 1.5},
        {"hang_seconds": True},
        {"drop_rate": 1.5},
        {"hang_rate": -0.1},
        {"scope": "everything"},
        {"surprise": 1},
    ],
)
def test_bad_fault_settings_are_refused(sandbox_url, values):
    response = requests.put(f"{sandbox_url}/_control/faults", json=values, timeout=5)

    assert response.status_code == 400
    assert response.json()["error"]
    with pytest.raises(ValueError):
        set_faults(**values)


def test_jobs_are_wiped_over_http(api, sandbox_url):
    api.create(mysql_body())

    response = requests.delete(f"{sandbox_url}/_control/jobs", timeout=5)

    assert response.json() == {"deleted": 1}
    assert not SandboxJob.objects.exists()


@pytest.mark.parametrize("path", ["/sandbox/_control/faults", "/sandbox/_control/jobs"])
@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_control_answers_loopback_only(path, method):
    response = getattr(Client(REMOTE_ADDR="10.0.0.5"), method)(path)

    assert response.status_code == 403


@pytest.mark.django_db
def test_control_refuses_requests_relayed_by_a_proxy():
    client = Client(REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-For": "203.0.113.9"})

    assert client.delete("/sandbox/_control/jobs").status_code == 403
    assert Client(REMOTE_ADDR="::1").get("/sandbox/_control/faults").status_code == 200


# --- the faults themselves ------------------------------------------------------------------


def test_the_error_rate_is_a_repeatable_pattern(api):
    token = api.token()
    set_faults(error_rate=0.5)

    statuses = [api.request("GET", "/jobs", token=token).status_code for _ in range(6)]

    assert statuses == [200, 500, 200, 500, 200, 500]
    assert api.request("GET", "/jobs", token=token).status_code == 200  # 7th
    assert api.request("GET", "/jobs", token=token).status_code == 500  # 8th


def test_a_500_carries_a_drs_error_body(api):
    token = api.token()
    set_faults(error_rate=1)

    response = api.request("GET", "/jobs", token=token)

    assert response.status_code == 500
    assert response.json()["error_code"] == "DRS.10000500"


def test_a_malformed_reply_is_200_and_not_json(api):
    token = api.token()
    set_faults(malformed_rate=1)

    response = api.request("GET", "/jobs", token=token)

    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_create_scope_leaves_other_requests_alone(api):
    token = api.token()
    set_faults(error_rate=1, scope="create")

    assert api.request("GET", "/jobs", token=token).status_code == 200
    assert api.create(mysql_body(), token=token).status_code == 500
    assert not SandboxJob.objects.exists()


def test_latency_delays_iam_and_drs(api, sandbox_clock):
    set_faults(latency_ms=200)

    started = sandbox_clock.now()
    api.request("GET", "/jobs")  # one IAM and one DRS request

    assert (sandbox_clock.now() - started).total_seconds() == pytest.approx(0.4)


def test_a_hang_answers_late_but_does_the_work(api):
    token = api.token()
    set_faults(hang_seconds=2, scope="create")

    with pytest.raises(requests.ReadTimeout):
        requests.post(
            f"{api.base_url}/v5/0123456789abcdef0123456789abcdef/jobs",
            json=mysql_body(),
            headers={"X-Auth-Token": token},
            timeout=(2, 0.5),
        )

    assert SandboxJob.objects.filter(name="mysql-sync-1").exists()
