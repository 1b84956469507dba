"""Logs: no secret reaches the output, whatever carries it; production writes one JSON object
per line with the request's id and user; every answer carries X-Request-ID."""

import io
import json
import logging
import re

import pytest
from django.urls import reverse

from drsui.logs import JsonFormatter, MaskSecrets

IAM_TOKEN = "MIIEhQYJKoZIhvcNAQcCoIIEdjCCBHICAQExDTALBglghkgBZQMEAgEwggLXBgkqhkiG9w0BBw" * 3
CERTIFICATE = ("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUcert0contents0line1\n"
               "c2VjcmV0LWNlcnRpZmljYXRlLWJvZHk=\n-----END CERTIFICATE-----")
PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIprivate0key0body\n"  # cut off

# (what a record carries, the secrets in it); each is logged as the message and as arguments.
CARRIERS = [
    ("login failed password=%s for bob", ["hunter2-pw"]),
    ('body {"db_password": "Db-Pass-%s", "ip": "10.0.0.1"}', ["Db-Pass-1"]),
    ("sent %s", [{"ssl_cert_password": "cert-pass-9", "ssl_cert_key": "Y2VydC1rZXk="}]),
    ("IAM answered headers %s", [{"X-Subject-Token": IAM_TOKEN[:90], "Content-Type": "json"}]),
    ("DRS call with %r", [{"X-Auth-Token": "token-abc-123", "X-Language": "en-us"}]),
    ("X-Auth-Token: %s", ["gAAAAB-plain-token-42"]),
    ("token in the clear: %s", [IAM_TOKEN]),
    ("Authorization: %s", ["SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK00000000, "
                           "SignedHeaders=host;x-sdk-date, Signature=9f86d081884c7d65"]),
    ("signing with ak=%s sk=%s", ["HPUAEXAMPLEAK11111111", "SkSecretKey40000000000000000"]),
    ("credentials %s", [{"ak": "HPUAEXAMPLEAK22222222", "sk": "SkSecretKey5"}]),
    ("Credentials(%s)", ["user='sandbox', password='iam-pass-7', domain='sandbox'"]),
    ("uploaded certificate %s", [CERTIFICATE]),
    ("key file %s", [PRIVATE_KEY]),
    ("cannot connect to %s", ["postgres://drsui:db-url-pw-3@db.internal:5432/drsui"]),
    ("draft %s", ['"{\\"job\\": {\\"db_password\\": \\"nested-pw-5\\"}}"']),
    ("request headers %s", ["Cookie: sessionid=sess-abc123; csrftoken=csrf-xyz789"]),
    # Robot webhooks' URLs carry their token (drsui.notify).
    ("posting to %s", ["https://oapi.dingtalk.com/robot/send?access_token=dt-tok-81cc9f"
                       "&timestamp=1700000000000"]),
    ("posting to %s failed", ["https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wc-5e0d44"]),
    ("HTTPSConnectionPool: Max retries exceeded with url: %s", [
        "https://open.feishu.cn/open-apis/bot/v2/hook/fs-hook-3a7b19 (Caused by x)"]),
]
SECRETS = ["hunter2-pw", "Db-Pass-1", "cert-pass-9", "Y2VydC1rZXk=", IAM_TOKEN[:90],
           "token-abc-123", "gAAAAB-plain-token-42", "HPUAEXAMPLEAK", "Signature=9f86",
           "SkSecretKey", "iam-pass-7", "cert0contents0line1", "c2VjcmV0LWNlcnRpZmljYXRl",
           "private0key0body", "db-url-pw-3", "nested-pw-5", "sess-abc123", "csrf-xyz789",
           "dt-tok-81cc9f", "wc-5e0d44", "fs-hook-3a7b19"]


@pytest.fixture
def output():
    """What the configured console handler writes, in production's JSON format."""
    [console] = [h for h in logging.getLogger().handlers
                 if any(isinstance(f, MaskSecrets) for f in h.filters)]
    stream = io.StringIO()
    old_stream, old_formatter = console.setStream(stream), console.formatter
    console.setFormatter(JsonFormatter())
    yield stream
    console.setStream(old_stream)
    console.setFormatter(old_formatter)


def lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.parametrize(("message", "args"), CARRIERS, ids=[c[0][:24] for c in CARRIERS])
def test_no_secret_reaches_the_output(output, message, args):
    log = logging.getLogger("drsui.anything")
    log.warning(message, *args)
    log.warning(message % tuple(args))  # already formatted
    try:
        raise RuntimeError(message % tuple(args))
    except RuntimeError:
        log.exception("failed")
    logging.getLogger("django.request").error("as Django logs: %s", message % tuple(args))
    written = output.getvalue()
    assert len(lines(output)) == 4
    assert not [s for s in SECRETS if s in written]
    assert "******" in written


def test_what_is_not_secret_stays_readable(output):
    logging.getLogger("drsui.jobs").info(
        "submission %s to %s: token expired, retrying; password=%s", 12, "cn-north-4", "pw-1")
    [line] = lines(output)
    assert line["message"] == (
        "submission 12 to cn-north-4: token expired, retrying; password=******")


def test_each_line_is_json_with_time_level_logger_request_and_user(output, client, demo_user):
    client.force_login(demo_user)
    answer = client.get(reverse("draft_step", args=[987654, "base"]),
                        headers={"X-Request-ID": "proxy-req-0042"})
    assert answer.status_code == 404
    [line] = [entry for entry in lines(output) if entry["logger"] == "django.request"]
    assert set(line) == {"timestamp", "level", "logger", "message", "request_id", "user"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["timestamp"])
    assert (line["level"], line["request_id"], line["user"]) == (
        "WARNING", "proxy-req-0042", "alice")
    assert line["message"].startswith("Not Found: /drafts/987654/")
    logging.getLogger("drsui").warning("between requests")
    assert lines(output)[-1]["request_id"] is None and lines(output)[-1]["user"] is None


def test_a_sane_request_id_from_the_proxy_is_echoed(client):
    answer = client.get("/healthz", headers={"X-Request-ID": "7f3c9a12-edge.lb:1"})
    assert answer.headers["X-Request-ID"] == "7f3c9a12-edge.lb:1"


@pytest.mark.parametrize("sent", [None, "", "has space", "x" * 200, "<script>", "a\tb", "-lead"])
def test_otherwise_one_is_made(client, sent):
    headers = {"X-Request-ID": sent} if sent is not None else {}
    made = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert made != client.get("/healthz", headers=headers).headers["X-Request-ID"]
