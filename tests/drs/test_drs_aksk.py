"""The client with an access key pair (AK/SK) against the sandbox over real HTTP: every request
signed as the official SDK signs it, no IAM token, refusals as the API gateway words them."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import requests
from drs_helpers import DB_PASSWORD, OTHER_PROJECT_ID, PROJECT_ID, job_body
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

from drsui.contract import signing
from drsui.drs import AccessKeyCredentials, DrsAuthError

AK = "SANDBOXTESTACCESSKEY"
SK = "sandbox-test-secret-key-Zq8Xv0Lm3Np6Rt9Wb2"


@pytest.fixture(autouse=True)
def sandbox_keys(settings):
    settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "ACCESS_KEYS": {AK: SK}}


def aksk(secret_key=SK, access_key=AK):
    return AccessKeyCredentials(access_key=access_key, secret_key=secret_key)


def test_a_job_is_created_with_a_signed_request_and_no_token(make_client, request_log):
    client = make_client(credentials=aksk())

    job = client.create_job(job_body(name="aksk-created"))
    assert job["status"] == "CREATING"
    assert client.get_job(job["id"])["name"] == "aksk-created"

    assert request_log.count("/v3/auth/tokens") == 0
    [(method, _, created), _] = request_log.exchanges
    sent = created.request.headers
    assert method == "POST" and created.status_code == 200
    assert sent["Authorization"].startswith(f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders=")
    assert signing.parse_date(sent["X-Sdk-Date"]) is not None
    assert sent["X-Project-Id"] == PROJECT_ID
    assert "X-Auth-Token" not in sent
    assert SK not in json.dumps(dict(sent))


def test_a_query_string_is_signed_as_sent(make_client):
    client = make_client(credentials=aksk())
    client.create_job(job_body(name="aksk-listed"))

    found = client.list_jobs(name="aksk-listed", status="CREATING", limit=5)

    assert [job["name"] for job in found["jobs"]] == ["aksk-listed"]


@pytest.mark.parametrize(
    "credentials, why",
    [
        (aksk(secret_key="not-the-secret-key"), "verify aksk signature fail"),
        (aksk(access_key="UNKNOWNACCESSKEY0000"), "ak not exist"),
    ],
    ids=["wrong SK", "unknown AK"],
)
def test_wrong_keys_are_an_auth_error_without_a_retry(make_client, request_log, credentials,
                                                      why):
    client = make_client(credentials=credentials)

    with pytest.raises(DrsAuthError) as caught:
        client.create_job(job_body(name="never-created"))

    assert caught.value.status == 401
    assert why in str(caught.value)
    assert credentials.secret_key not in str(caught.value)
    assert len(request_log.exchanges) == 1
    assert make_client(credentials=aksk()).list_jobs(name="never-created")["total_count"] == 0


def test_a_date_more_than_15_minutes_off_is_refused(make_client):
    def clock_behind(minutes):
        return lambda: datetime.now(UTC) - timedelta(minutes=minutes)

    with pytest.raises(DrsAuthError) as caught:
        make_client(credentials=aksk(), clock=clock_behind(16)).list_jobs()

    assert caught.value.status == 401
    assert "signature expired" in str(caught.value)
    assert make_client(credentials=aksk(), clock=clock_behind(14)).list_jobs()["total_count"] == 0


def signed_by_hand(url, *, body=b"", headers=None, now=None):
    parts = urlsplit(url)
    return signing.sign(access_key=AK, secret_key=SK, method="POST" if body else "GET",
                        host=parts.netloc, path=parts.path, query=[],
                        headers=headers or {"Content-Type": "application/json"},
                        body=body, now=now or datetime.now(UTC))


def test_a_request_signed_by_the_official_sdk_is_accepted(sandbox_url):
    """The sandbox's check is not drsui's signer checking itself."""
    parts = urlsplit(f"{sandbox_url}/v5/{PROJECT_ID}/jobs")
    request = SdkRequest(
        method="GET", schema=parts.scheme, host=parts.netloc, resource_path=parts.path,
        query_params=[("limit", 5), ("name", "a job ü")],
        header_params={"Content-Type": "application/json", "User-Agent": "huaweicloud-usdk",
                       "X-Sdk-Date": signing.format_date(datetime.now(UTC))},
        body="",
    )
    Signer(BasicCredentials(AK, SK, PROJECT_ID)).sign(request)

    response = requests.get(request.url, headers=request.header_params, timeout=5)

    assert response.status_code == 200, response.text
    assert response.json() == {"total_count": 0, "jobs": []}


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda h: h.pop("X-Sdk-Date"), "x-sdk-date is missing"),
        (lambda h: h.update({"X-Sdk-Date": "2026-11-27T06:54:03Z"}), "YYYYMMDDTHHMMSSZ"),
        (lambda h: h.update({"Authorization": "Basic c2FuZGJveA=="}), "Authorization must be"),
        (lambda h: h.update({"X-Language": "zh-cn"}), "verify aksk signature fail"),
    ],
    ids=["no date", "malformed date", "other scheme", "header changed after signing"],
)
def test_a_malformed_signed_request_gets_drs_s_error_format(sandbox_url, change, why):
    url = f"{sandbox_url}/v5/{PROJECT_ID}/jobs"
    headers = signed_by_hand(url, headers={"Content-Type": "application/json",
                                           "X-Language": "en-us"})
    change(headers)

    response = requests.get(url, headers=headers, timeout=5)

    assert response.status_code == 401
    assert response.json()["error_code"] == "APIGW.0301"
    assert why in response.json()["error_msg"]


def test_a_body_changed_after_signing_is_refused(sandbox_url):
    url = f"{sandbox_url}/v5/{PROJECT_ID}/jobs"
    signed_body = json.dumps(job_body(name="signed-name")).encode()
    headers = signed_by_hand(url, body=signed_body)

    tampered = signed_body.replace(b"signed-name", b"other-name")
    response = requests.post(url, data=tampered, headers=headers, timeout=5)

    assert response.status_code == 401
    assert response.json()["error_msg"].endswith("verify aksk signature fail")


def test_the_project_header_must_name_the_path_s_project(sandbox_url):
    url = f"{sandbox_url}/v5/{PROJECT_ID}/jobs"
    headers = signed_by_hand(url, headers={"Content-Type": "application/json",
                                           "X-Project-Id": OTHER_PROJECT_ID})

    response = requests.get(url, headers=headers, timeout=5)

    assert response.status_code == 403


def test_the_secret_key_is_not_in_the_client_s_repr_or_logs(make_client, caplog):
    client = make_client(credentials=aksk())
    with caplog.at_level("DEBUG"):
        client.create_job(job_body(name="aksk-logged"))

    assert SK not in repr(client.credentials) and AK in repr(client.credentials)
    assert SK not in caplog.text and DB_PASSWORD not in caplog.text
