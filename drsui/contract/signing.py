"""SDK-HMAC-SHA256: a request signed with an access key pair (AK/SK), as Huawei Cloud's API
gateway checks it and as the official SDK (huaweicloudsdkcore's Signer) computes it;
tests/drs/test_drs_signing.py proves the two agree byte for byte.

    CanonicalRequest = METHOD \\n CanonicalURI \\n CanonicalQuery \\n CanonicalHeaders \\n
                       SignedHeaders \\n hex(sha256(body))
    StringToSign     = "SDK-HMAC-SHA256" \\n X-Sdk-Date \\n hex(sha256(CanonicalRequest))
    Authorization    = "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<a;b;c>, Signature=<hex>"

where Signature = hex(HMAC-SHA256(SK, StringToSign)). The gateway refuses an X-Sdk-Date more
than 15 minutes away from its own clock.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "X-Sdk-Date"
# Bodies that are not JSON (or BSON) are not hashed: the SDK sends this header instead.
CONTENT_HASH_HEADER = "X-Sdk-Content-Sha256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
MAX_CLOCK_SKEW = timedelta(minutes=15)
_EMPTY_BODY_HASH = hashlib.sha256(b"").hexdigest()
_AUTHORIZATION = re.compile(
    rf"{ALGORITHM} Access=([^,\s]+), SignedHeaders=([^,\s]+), Signature=([0-9a-f]+)"
)


@dataclass(frozen=True)
class Authorization:
    """The parts of an Authorization header value."""

    access_key: str
    signed_headers: tuple[str, ...]
    signature: str = field(repr=False)


def _encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(path: str) -> str:
    """Each segment of the decoded path percent-encoded, and always a trailing slash (the SDK
    adds one; the gateway expects it)."""
    uri = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(params: list[tuple[str, str]]) -> str:
    """`key=value` pairs sorted by key, then value, each side percent-encoded. The SDK sends
    its query string in this form too."""
    return "&".join(f"{_encode(key)}={_encode(value)}" for key, value in sorted(params))


def format_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime(DATE_FORMAT)


def parse_date(text: str) -> datetime | None:
    """The X-Sdk-Date as an aware UTC datetime; None unless it is exactly YYYYMMDDTHHMMSSZ."""
    if not re.fullmatch(r"\d{8}T\d{6}Z", text or ""):
        return None
    try:
        return datetime.strptime(text, DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def string_to_sign(
    *,
    method: str,
    path: str,
    query: list[tuple[str, str]],
    headers: dict[str, str],
    signed_headers: tuple[str, ...],
    body: bytes,
    date: str,
) -> str:
    """`headers` maps lower-case names to values; `signed_headers` are sorted lower-case names,
    each present in `headers`."""
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in signed_headers)
    if not body:
        body_hash = _EMPTY_BODY_HASH
    else:
        body_hash = headers.get(CONTENT_HASH_HEADER.lower()) or hashlib.sha256(body).hexdigest()
    canonical_request = "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query(query),
            canonical_headers,
            ";".join(signed_headers),
            body_hash,
        ]
    )
    return "\n".join(
        [ALGORITHM, date, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()]
    )


def signature(secret_key: str, text: str) -> str:
    return hmac.new(secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def sign(
    *,
    access_key: str,
    secret_key: str,
    method: str,
    host: str,
    path: str,
    query: list[tuple[str, str]],
    headers: dict[str, str],
    body: bytes,
    now: datetime,
) -> dict[str, str]:
    """`headers` plus Host, X-Sdk-Date and Authorization: every header given is signed (as the
    SDK does; names holding "_" excepted), so send exactly these. Values are signed as UTF-8
    and returned as the latin-1 reading of those bytes, which is how requests sends them."""
    signed = {**headers, "Host": host, DATE_HEADER: format_date(now)}
    content_type = signed.get("Content-Type")  # exactly so spelled, as in the SDK
    if content_type and not content_type.startswith(("application/json", "application/bson")):
        signed[CONTENT_HASH_HEADER] = UNSIGNED_PAYLOAD
    signed = {name: str(value).strip() for name, value in signed.items()}
    by_name = {name.lower(): value for name, value in signed.items()}
    names = tuple(sorted(name for name in by_name if "_" not in name))
    text = string_to_sign(
        method=method,
        path=path,
        query=query,
        headers=by_name,
        signed_headers=names,
        body=body,
        date=signed[DATE_HEADER],
    )
    sent = {name: value.encode("utf-8").decode("iso-8859-1") for name, value in signed.items()}
    sent["Authorization"] = (
        f"{ALGORITHM} Access={access_key}, SignedHeaders={';'.join(names)}, "
        f"Signature={signature(secret_key, text)}"
    )
    return sent


def parse_authorization(value: str) -> Authorization | None:
    match = _AUTHORIZATION.fullmatch((value or "").strip())
    if match is None:
        return None
    access_key, names, sig = match.groups()
    return Authorization(
        access_key=access_key, signed_headers=tuple(names.split(";")), signature=sig
    )
