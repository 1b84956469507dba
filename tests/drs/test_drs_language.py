"""X-Language: the client asks DRS and IAM to answer in the person's language. Its own errors
read in English for logs (str) and in the active language for people (.message); DRS's own
message is passed on as DRS returned it."""

import re

import pytest
import requests
from django.utils import translation
from drs_helpers import PROJECT_ID, SANDBOX_CREDENTIALS, scripted_client

from drsui.drs import DrsApiError, DrsAuthError, DrsClient, DrsUnavailable, PasswordCredentials
from drsui.drs.client import x_language

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("language, header", [
    ("zh-hans", "zh-cn"), ("zh-cn", "zh-cn"), ("zh", "zh-cn"), ("ZH-Hans", "zh-cn"),
    ("en", "en-us"), ("en-us", "en-us"), ("fr", "en-us"), ("", "en-us"),
])
def test_a_language_code_becomes_drs_x_language(language, header):
    assert x_language(language) == header


def test_the_token_request_and_every_drs_call_carry_x_language(sandbox_url, request_log):
    client = DrsClient(drs_endpoint=sandbox_url, iam_endpoint=sandbox_url, project_id=PROJECT_ID,
                       credentials=SANDBOX_CREDENTIALS, language="zh-hans")
    client.session.hooks["response"].append(request_log)
    client.list_jobs()
    with pytest.raises(DrsApiError) as refused:
        client.get_job("no-such-job")

    assert [path.rsplit("/", 1)[-1] for _, path, _ in request_log.exchanges] == [
        "tokens", "jobs", "no-such-job"]
    assert {r.request.headers["X-Language"] for _, _, r in request_log.exchanges} == {"zh-cn"}
    # DRS's message as the sandbox said it, in Chinese, not translated again.
    answered = request_log.exchanges[-1][2].json()["error_msg"]
    assert refused.value.error_msg == answered and CJK.search(answered)


def test_iam_refusing_the_password_says_why_in_chinese(sandbox_url):
    wrong = PasswordCredentials(user="sandbox", password="wrong", domain="sandbox")
    client = DrsClient(drs_endpoint=sandbox_url, iam_endpoint=sandbox_url, project_id=PROJECT_ID,
                       credentials=wrong, language="zh-hans")
    with translation.override("zh-hans"), pytest.raises(DrsAuthError) as refused:
        client.list_jobs()
    assert str(refused.value).startswith("IAM refused the credentials (HTTP 401): ")
    assert CJK.search(refused.value.message)


def test_an_error_of_the_client_is_english_in_logs_and_the_persons_language_when_shown():
    client, _ = scripted_client(requests.ReadTimeout("read timed out"))
    with pytest.raises(DrsUnavailable) as unanswered:
        client.create_job({"job": {}})
    error = unanswered.value
    assert str(error) == "no answer from DRS (ReadTimeout, outcome unknown)"
    assert error.message == str(error)  # English is active
    with translation.override("zh-hans"):
        chinese = error.message
    assert chinese != str(error) and CJK.search(chinese) and "ReadTimeout" in chinese
    assert str(error) == "no answer from DRS (ReadTimeout, outcome unknown)"


def test_a_refusal_without_a_drs_body_is_said_in_the_active_language():
    client, _ = scripted_client((400, b"<html>bad gateway</html>"))
    with translation.override("zh-hans"), pytest.raises(DrsApiError) as refused:
        client.list_jobs()
    assert "400" in refused.value.error_msg and CJK.search(refused.value.error_msg)
