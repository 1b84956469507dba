import hashlib
import re
from datetime import datetime

import requests
from sandbox_helpers import PROJECT_ID, token_request

ISO_Z = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"


def post_token(sandbox_url, **kwargs):
    return requests.post(f"{sandbox_url}/v3/auth/tokens", timeout=5, **kwargs)


def test_a_token_for_a_project_id(sandbox_url, settings):
    settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "TOKEN_TTL_SECONDS": 600}

    response = post_token(sandbox_url, json=token_request())

    assert response.status_code == 201
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["X-Subject-Token"]
    token = response.json()["token"]
    assert set(token) == {"expires_at", "issued_at", "methods", "project", "user"}
    assert re.fullmatch(ISO_Z, token["expires_at"]) and re.fullmatch(ISO_Z, token["issued_at"])
    lifetime = datetime.fromisoformat(token["expires_at"]) - datetime.fromisoformat(
        token["issued_at"]
    )
    assert 599 <= lifetime.total_seconds() <= 601
    assert token["methods"] == ["password"]
    assert token["project"]["id"] == PROJECT_ID
    assert token["user"] == {"name": "sandbox", "domain": {"name": "sandbox"}}


def test_a_token_scoped_by_region_name_is_bound_to_a_derived_project(api, sandbox_url):
    response = post_token(sandbox_url, json=token_request(project={"name": "cn-north-4"}))

    assert response.status_code == 201
    project = response.json()["token"]["project"]
    assert project == {"id": hashlib.md5(b"cn-north-4").hexdigest(), "name": "cn-north-4"}
    token = response.headers["X-Subject-Token"]
    assert api.request("GET", "/jobs", token=token, project_id=project["id"]).status_code == 200
    assert api.request("GET", "/jobs", token=token).status_code == 403


def test_wrong_credentials_are_401_with_an_iam_error_body(sandbox_url):
    for wrong in ({"password": "nope"}, {"user": "mallory"}, {"domain": "other"}):
        response = post_token(sandbox_url, json=token_request(**wrong))

        assert response.status_code == 401
        assert "X-Subject-Token" not in response.headers
        error = response.json()["error"]
        assert (error["code"], error["title"]) == (401, "Unauthorized")
        assert error["message"]


def test_credentials_come_from_settings(sandbox_url, settings):
    settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "IAM_PASSWORD": "changed"}

    assert post_token(sandbox_url, json=token_request()).status_code == 401
    assert post_token(sandbox_url, json=token_request(password="changed")).status_code == 201


def test_malformed_requests_are_400(sandbox_url):
    no_scope = token_request()
    del no_scope["auth"]["scope"]
    for kwargs in (
        {"data": b"not json"},
        {"data": b""},
        {"json": []},
        {"json": {"auth": {}}},
        {"json": no_scope},
        {"json": token_request(project={"id": "not-a-project-id"})},
        {"json": token_request(password=123)},
    ):
        response = post_token(sandbox_url, **kwargs)

        assert response.status_code == 400, kwargs
        assert response.json()["error"]["code"] == 400


def test_only_post_is_allowed(sandbox_url):
    assert requests.get(f"{sandbox_url}/v3/auth/tokens", timeout=5).status_code == 405


def test_an_expired_token_is_refused(api, settings):
    settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "TOKEN_TTL_SECONDS": 0}
    token = api.token()

    response = api.request("GET", "/jobs", token=token)

    assert response.status_code == 401
    assert response.json()["error_code"] == "APIGW.0301"
