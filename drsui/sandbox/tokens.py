"""Sandbox IAM tokens: stateless signed values carrying project id, user and expiry."""

import time
from dataclasses import dataclass

from django.core import signing

SALT = "drsui.sandbox.iam-token"


@dataclass(frozen=True)
class TokenClaims:
    project_id: str
    user: str
    expires_at: float  # epoch seconds


def token_issue(*, project_id: str, user: str, ttl_seconds: float) -> tuple[str, TokenClaims]:
    claims = TokenClaims(project_id=project_id, user=user, expires_at=time.time() + ttl_seconds)
    value = signing.dumps(
        {"p": claims.project_id, "u": claims.user, "e": claims.expires_at}, salt=SALT
    )
    return value, claims


def token_read(value: str) -> TokenClaims | None:
    """The claims of a genuine, unexpired token; None for anything else."""
    try:
        data = signing.loads(value, salt=SALT)
        claims = TokenClaims(project_id=data["p"], user=data["u"], expires_at=float(data["e"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return claims if time.time() < claims.expires_at else None
