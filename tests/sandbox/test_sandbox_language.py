"""The sandbox answers its error messages in the language asked for (X-Language: zh-cn or
en-us, English without one), as DRS does; the error codes do not change with the language."""

import re

import pytest
import requests
from sandbox_helpers import PROJECT_ID, mysql_body, token_request

CJK = re.compile(r"[\u4e00-\u9fff]")
ZH, EN = {"X-Language": "zh-cn"}, {"X-Language": "en-us"}


def error(response, status: int) -> tuple[str, str]:
    assert response.status_code == status, response.text
    body = response.json()
    return body["error_code"], body["error_msg"]


def test_an_unauthenticated_call_is_answered_in_chinese_when_asked(api):
    code, message = error(api.create(mysql_body(), token="", headers=ZH), 401)
    assert code == "APIGW.0301"
    assert CJK.search(message)

    english_code, english = error(api.create(mysql_body(), token="", headers=EN), 401)
    assert english_code == code
    assert english.startswith("Incorrect IAM authentication information")
    assert not CJK.search(english)
    # No X-Language: English, as DRS's default.
    assert error(api.create(mysql_body(), token=""), 401) == (english_code, english)


@pytest.mark.parametrize("path, status, code", [
    ("/jobs/no-such-job", 404, "DRS.10000010"),
    ("/nothing-here", 404, "APIGW.0101"),
])
def test_not_found_is_said_in_the_language_asked_for(api, path, status, code):
    token = api.token()
    chinese = error(api.request("GET", path, token=token, headers=ZH), status)
    english = error(api.request("GET", path, token=token, headers=EN), status)
    assert chinese[0] == english[0] == code
    assert CJK.search(chinese[1]) and not CJK.search(english[1])
    if code == "DRS.10000010":
        assert "no-such-job" in chinese[1] and "no-such-job" in english[1]


def test_a_duplicate_name_is_refused_in_chinese_naming_the_field(api):
    token = api.token()
    assert api.create(mysql_body(name="dup-1"), token=token).status_code == 200
    code, message = error(
        api.create(mysql_body(name="DUP-1"), token=token, headers=ZH), 400)
    assert code == "DRS.M0027700"
    assert message.startswith("base_info.name")  # the path stays as the API names it
    assert "DUP-1" in message and CJK.search(message)


def test_iam_says_a_wrong_password_in_chinese(sandbox_url):
    answer = requests.post(f"{sandbox_url}/v3/auth/tokens", headers=ZH, timeout=5,
                           json=token_request(password="wrong", project={"id": PROJECT_ID}))
    assert answer.status_code == 401
    assert CJK.search(answer.json()["error"]["message"])
    assert answer.headers["Content-Language"] == "zh-hans"


def test_an_unknown_x_language_is_english(api):
    _code, message = error(
        api.create(mysql_body(), token="", headers={"X-Language": "fr-fr"}), 401)
    assert not CJK.search(message)
