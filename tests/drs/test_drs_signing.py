"""drsui's SDK-HMAC-SHA256 signer against the official SDK's (huaweicloudsdkcore, a test
dependency): the same request gives the same headers, query string and signature, byte for byte."""

import json
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drsui.contract import signing
from tests.properties import examples

AK = "HPUAXXXXXXXXXXXXXXXX"
SK = "sk-0123456789abcdefghijklmnopqrstuvwxyzAB"
NOW = datetime(2026, 11, 27, 6, 54, 3, tzinfo=UTC)


def sdk_signed(*, method, host, path, query, headers, body):
    """What huaweicloudsdkcore sends: (headers, uri) after Signer.sign."""
    request = SdkRequest(
        method=method,
        schema="https",
        host=host,
        resource_path=path,
        query_params=list(query),
        header_params={**headers, "X-Sdk-Date": signing.format_date(NOW)},
        body=body,
    )
    Signer(BasicCredentials(AK, SK)).sign(request)
    return request.header_params, request.uri


def drsui_signed(*, method, host, path, query, headers, body):
    sent = signing.sign(
        access_key=AK,
        secret_key=SK,
        method=method,
        host=host,
        path=path,
        query=list(query),
        headers=headers,
        body=body,
        now=NOW,
    )
    canonical = signing.canonical_query(list(query))
    return sent, f"{path}?{canonical}" if canonical else path


def assert_same(**request):
    sdk_headers, sdk_uri = sdk_signed(**request)
    ours_headers, ours_uri = drsui_signed(**request)
    assert ours_headers == sdk_headers
    assert ours_uri == sdk_uri


JSON = {"Content-Type": "application/json", "User-Agent": "drsui/0.1", "X-Language": "en-us"}
PROJECT = "0123456789abcdef0123456789abcdef"
UNICODE_BODY = json.dumps({"job": {"base_info": {"description": "Übertragung – 迁移 ✓"}}},
                          ensure_ascii=False).encode()

CASES = {
    "get without query": dict(method="GET", path=f"/v5/{PROJECT}/jobs", query=[], body=b""),
    "get with query": dict(
        method="GET", path=f"/v5/{PROJECT}/jobs",
        query=[("offset", "0"), ("limit", "10"), ("name", "DRS-1234")], body=b""),
    "query needing encoding": dict(
        method="GET", path=f"/v5/{PROJECT}/jobs",
        query=[("name", "a b+c/d=e&f~g"), ("status", "迁移"), ("empty", "")], body=b""),
    "repeated query keys": dict(
        method="GET", path=f"/v5/{PROJECT}/jobs",
        query=[("tag", "z"), ("tag", "a"), ("Tag", "m")], body=b""),
    "post json": dict(
        method="POST", path=f"/v5/{PROJECT}/jobs", query=[],
        body=json.dumps({"job": {"base_info": {"name": "DRS-1234"}}}).encode()),
    "post unicode body": dict(
        method="POST", path=f"/v5/{PROJECT}/jobs", query=[], body=UNICODE_BODY),
    "post empty body": dict(method="POST", path=f"/v5/{PROJECT}/jobs/x/action", query=[],
                            body=b""),
    "path with trailing slash": dict(method="GET", path=f"/v5/{PROJECT}/jobs/", query=[],
                                     body=b""),
    "path with an encoded segment": dict(
        method="GET", path=f"/v5/{PROJECT}/jobs/{quote('job id/ü~', safe='')}",
        query=[("type", "detail")], body=b""),
    "path under a prefix": dict(method="DELETE", path=f"/sandbox/v5/{PROJECT}/jobs/j1",
                                query=[], body=b""),
    "lower-case method": dict(method="get", path="/v3/projects", query=[], body=b""),
}


@pytest.mark.parametrize("request_parts", CASES.values(), ids=CASES.keys())
def test_drsui_signs_as_the_sdk_does(request_parts):
    assert_same(host="drs.cn-north-4.myhuaweicloud.com", headers=JSON, **request_parts)


@pytest.mark.parametrize("host", ["127.0.0.1:8100", "drs.eu-west-101.myhuaweicloud.eu"])
def test_the_host_with_its_port_is_signed(host):
    assert_same(method="GET", host=host, path="/v5/p/jobs", query=[], headers=JSON, body=b"")


def test_headers_as_the_sdk_treats_them():
    """Padded values are stripped, names with "_" are sent unsigned, a non-ASCII value is
    signed as UTF-8, and a body that is not JSON is sent unhashed."""
    headers = {
        "Content-Type": "text/plain",
        "X-Project-Id": f"  {PROJECT} ",
        "X_Unsigned": "kept, not signed",
        "X-Note": "Grüße",
    }
    assert_same(method="PUT", host="drs.test", path="/v5/x", query=[], headers=headers,
                body=b"plain text")


def test_the_signed_header_list_and_date_are_what_the_gateway_reads():
    sent = signing.sign(access_key=AK, secret_key=SK, method="GET", host="drs.test",
                        path="/v5/x", query=[], headers={"X-Project-Id": PROJECT}, body=b"",
                        now=NOW)
    parsed = signing.parse_authorization(sent["Authorization"])
    assert parsed.access_key == AK
    assert parsed.signed_headers == ("host", "x-project-id", "x-sdk-date")
    assert sent["X-Sdk-Date"] == "20261127T065403Z"
    assert signing.parse_date(sent["X-Sdk-Date"]) == NOW


_segment = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
_header_value = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x2FFF, exclude_categories=["Cs"]),
    max_size=20)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"]),
    segments=st.lists(_segment, min_size=1, max_size=4),
    trailing_slash=st.booleans(),
    query=st.lists(st.tuples(_segment.filter(bool), _segment), max_size=5),
    header_values=st.lists(_header_value, min_size=1, max_size=3),
    body=st.one_of(st.just(b""), st.binary(max_size=64),
                   _segment.map(lambda text: json.dumps({"v": text}).encode())),
)
def test_any_request_is_signed_as_the_sdk_signs_it(method, segments, trailing_slash, query,
                                                   header_values, body):
    path = "/" + "/".join(quote(segment, safe="") for segment in segments)
    if trailing_slash and not path.endswith("/"):
        path += "/"
    headers = {**JSON, **{f"X-Extra-{i}": value for i, value in enumerate(header_values)}}
    assert_same(method=method, host="drs.test:8443", path=path, query=query, headers=headers,
                body=body)
