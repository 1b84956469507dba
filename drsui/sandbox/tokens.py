"""Sandbox credentials: IAM tokens (stateless signed values carrying project id, user and
expiry) and requests signed with an access key pair."""

import hmac
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote

from django.core import signing as django_signing

from drsui.contract import signing
from drsui.sandbox import clock

SALT = "drsui.sandbox.iam-token"


@dataclass(frozen=True)
class TokenClaims:
    project_id: str
    user: str
    expires_at: float  # epoch seconds


def token_issue(*, project_id: str, user: str, ttl_seconds: float) -> tuple[str, TokenClaims]:
    expires_at = clock.now().timestamp() + ttl_seconds
    claims = TokenClaims(project_id=project_id, user=user, expires_at=expires_at)
    value = django_signing.dumps(
        {"p": claims.project_id, "u": claims.user, "e": claims.expires_at}, salt=SALT
    )
    return value, claims


def token_read(value: str) -> TokenClaims | None:
    """The claims of a genuine, unexpired token; None for anything else."""
    try:
        data = django_signing.loads(value, salt=SALT)
        claims = TokenClaims(project_id=data["p"], user=data["u"], expires_at=float(data["e"]))
    except (django_signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return claims if clock.now().timestamp() < claims.expires_at else None


# --- AK/SK: requests signed with an access key pair (SDK-HMAC-SHA256) --------------------------


def signature_refusal(request, *, access_keys: dict[str, str]) -> str | None:
    """Why the API gateway refuses this signed request (its message), or None if a known key
    pair signed it within 15 minutes of now. The gateway's reasons are its own English words
    in every language ("ak not exist"), as the real one gives them."""
    authorization = signing.parse_authorization(request.headers.get("Authorization", ""))
    if authorization is None:
        return (
            f"Authorization must be {signing.ALGORITHM} Access=..., SignedHeaders=..., "
            "Signature=..."
        )
    secret_key = access_keys.get(authorization.access_key)
    if secret_key is None:
        return "ak not exist"
    date_text = request.headers.get(signing.DATE_HEADER)
    if not date_text or signing.DATE_HEADER.lower() not in authorization.signed_headers:
        return "x-sdk-date is missing or not signed"
    date = signing.parse_date(date_text)
    if date is None:
        return "x-sdk-date must be a UTC time in the form YYYYMMDDTHHMMSSZ"
    if abs(clock.now() - date) > signing.MAX_CLOCK_SKEW:
        return "calc ak sk signature fail:signature expired"
    headers = {}
    for name in authorization.signed_headers:
        value = request.headers.get(name)
        if value is None:
            return "verify aksk signature fail"
        headers[name] = value.encode("iso-8859-1").decode("utf-8", errors="replace")
    expected = signing.signature(
        secret_key,
        signing.string_to_sign(
            method=request.method,
            path=quote(request.path, safe="/"),
            query=parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True),
            headers=headers,
            signed_headers=authorization.signed_headers,
            body=request.body,
            date=date_text,
        ),
    )
    if not hmac.compare_digest(expected, authorization.signature):
        return "verify aksk signature fail"
    return None
