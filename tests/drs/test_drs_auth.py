
import pytest
import requests
from drs_helpers import OTHER_PROJECT_ID, PROJECT_ID, scripted_client

from drsui.drs import DrsAuthError, PasswordCredentials, StaticToken
from drsui.drs.http import USER_AGENT


def sandbox_token(sandbox_url, project_id):
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": "sandbox",
                        "password": "sandbox",
                        "domain": {"name": "sandbox"},
                    }
                },
            },
            "scope": {"project": {"id": project_id}},
        }
    }
    response = requests.post(f"{sandbox_url}/v3/auth/tokens", json=body, timeout=5)
    assert response.status_code == 201
    return response.headers["X-Subject-Token"]


def test_one_token_serves_many_calls_and_clients(make_client, request_log):
    make_client().list_jobs()
    make_client().list_jobs(limit=5)
    make_client().list_jobs(name="x")

    assert request_log.count("/v3/auth/tokens") == 1
    assert request_log.count("/jobs") == 3


def test_every_drs_call_sends_token_language_and_json(make_client, request_log):
    make_client(language="zh-cn").list_jobs()

    _, _, response = request_log.exchanges[-1]
    headers = response.request.headers
    assert headers["X-Auth-Token"]
    assert headers["X-Language"] == "zh-cn"
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == USER_AGENT


def test_token_is_renewed_shortly_before_it_expires(make_client, request_log, settings, clock):
    settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "TOKEN_TTL_SECONDS": 100}
    client = make_client()

    client.list_jobs()
    clock.advance(89)
    client.list_jobs()
    assert request_log.count("/v3/auth/tokens") == 1
    clock.advance(2)  # past 90 % of the lifetime, still before expiry
    client.list_jobs()

    assert request_log.count("/v3/auth/tokens") == 2
    assert [response.status_code for _, _, response in request_log.exchanges].count(401) == 0


def test_a_refused_token_is_renewed_once_and_the_call_repeated(make_client, request_log, settings):
    client = make_client()
    client.list_jobs()
    settings.SECRET_KEY = "the sandbox IAM signing key changed"  # every issued token dies

    assert client.list_jobs()["total_count"] == 0

    statuses = [(path.rsplit("/", 1)[-1], r.status_code) for _, path, r in request_log.exchanges]
    assert statuses == [
        ("tokens", 201),
        ("jobs", 200),
        ("jobs", 401),
        ("tokens", 201),
        ("jobs", 200),
    ]


def test_a_token_refused_again_after_renewal_is_an_auth_error():
    iam_reply = (
        201,
        {"token": {"issued_at": "2030-01-01T00:00:00Z", "expires_at": "2030-01-02T00:00:00Z"}},
        {"X-Subject-Token": "iam-token"},
    )
    refused = (401, {"error_code": "APIGW.0301", "error_msg": "Incorrect token"})
    client, adapter = scripted_client(
        iam_reply,
        refused,
        iam_reply,
        refused,
        credentials=PasswordCredentials(user="u", password="p", domain="d"),
    )

    with pytest.raises(DrsAuthError) as caught:
        client.create_job({"job": {}})

    assert caught.value.status == 401
    assert [request.url for request, _ in adapter.sent] == [
        "http://iam.test/v3/auth/tokens",
        f"http://drs.test/v5/{PROJECT_ID}/jobs",
    ] * 2


def test_wrong_password_is_an_auth_error_without_the_password(make_client):
    client = make_client(
        credentials=PasswordCredentials(user="sandbox", password="Wrong-PW-99", domain="sandbox")
    )

    with pytest.raises(DrsAuthError) as caught:
        client.list_jobs()

    assert caught.value.status == 401
    assert "Wrong-PW-99" not in str(caught.value)


def test_static_token_is_used_as_is(make_client, sandbox_url, request_log):
    client = make_client(credentials=StaticToken(sandbox_token(sandbox_url, PROJECT_ID)))

    assert client.list_jobs() == {"total_count": 0, "jobs": []}
    assert request_log.count("/v3/auth/tokens") == 0


def test_a_refused_static_token_is_an_auth_error(make_client, request_log):
    with pytest.raises(DrsAuthError) as caught:
        make_client(credentials=StaticToken("forged-token")).list_jobs()

    assert caught.value.status == 401
    assert "forged-token" not in str(caught.value)
    assert len(request_log.exchanges) == 1


def test_another_projects_token_is_refused_with_403(make_client, sandbox_url):
    client = make_client(credentials=StaticToken(sandbox_token(sandbox_url, OTHER_PROJECT_ID)))

    with pytest.raises(DrsAuthError) as caught:
        client.list_jobs()

    assert caught.value.status == 403
