"""IAM password tokens: obtained from POST {iam}/v3/auth/tokens, cached process-wide until
shortly before they expire."""

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests
from django.utils.translation import gettext_noop

from drsui.drs.credentials import PasswordCredentials
from drsui.drs.errors import DrsAuthError, DrsUnavailable
from drsui.metrics.instruments import drs_call_observed

logger = logging.getLogger("drsui.drs")

# Renew this long before expiry, or 10 % of the token's lifetime if that is shorter.
RENEW_MARGIN_SECONDS = 300
RENEW_MARGIN_SHARE = 0.1

# The clock renewal deadlines are measured on (tests move it by hand).
monotonic = time.monotonic


@dataclass(frozen=True)
class IamToken:
    value: str = field(repr=False)
    renew_at: float  # a monotonic() deadline


def token_cache_key(*, iam_endpoint: str, project_id: str, credentials: PasswordCredentials) -> str:
    """A key naming the token's owner; the password only enters it through a hash."""
    parts = (iam_endpoint, credentials.user, credentials.domain, project_id, credentials.password)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class TokenCache:
    """Thread-safe; one IAM request at a time per key, so concurrent callers share a token."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokens: dict[str, IamToken] = {}
        self._fetch_locks: dict[str, threading.Lock] = {}

    def get(self, key: str, *, fetch: Callable[[], IamToken]) -> str:
        with self._lock:
            fetch_lock = self._fetch_locks.setdefault(key, threading.Lock())
        with fetch_lock:
            with self._lock:
                token = self._tokens.get(key)
            if token is None or monotonic() >= token.renew_at:
                token = fetch()
                with self._lock:
                    self._tokens[key] = token
            return token.value

    def discard(self, key: str, *, value: str) -> None:
        """Forget the token if it is still `value` (another thread may have renewed it already)."""
        with self._lock:
            token = self._tokens.get(key)
            if token is not None and token.value == value:
                del self._tokens[key]

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()


TOKEN_CACHE = TokenCache()


def token_request_body(*, project_id: str, credentials: PasswordCredentials) -> dict:
    return {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": credentials.user,
                        "password": credentials.password,
                        "domain": {"name": credentials.domain},
                    }
                },
            },
            "scope": {"project": {"id": project_id}},
        }
    }


def request_token(
    *,
    session: requests.Session,
    iam_endpoint: str,
    project_id: str,
    credentials: PasswordCredentials,
    timeout: tuple[float, float],
    language: str = "en-us",
) -> IamToken:
    """Ask IAM for a project-scoped token.

    Failures to reach IAM are DrsUnavailable(sent=False): the DRS request was not sent yet.
    """
    url = f"{iam_endpoint.rstrip('/')}/v3/auth/tokens"
    asked_at, started = monotonic(), time.monotonic()
    try:
        response = session.post(
            url,
            json=token_request_body(project_id=project_id, credentials=credentials),
            headers={"X-Language": language},  # IAM's error messages in that language
            timeout=timeout,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        drs_call_observed("iam_token", None, time.monotonic() - started)
        logger.warning("IAM POST /v3/auth/tokens failed: %s", type(exc).__name__)
        raise DrsUnavailable(gettext_noop("IAM unreachable (%(error)s)"), sent=False,
                             error=type(exc).__name__) from exc
    drs_call_observed("iam_token", response.status_code, time.monotonic() - started)
    logger.info(
        "IAM POST /v3/auth/tokens -> %s in %.0f ms",
        response.status_code,
        (time.monotonic() - started) * 1000,
    )
    if response.status_code in (400, 401, 403):
        message = _iam_message(response)
        if message is None:
            raise DrsAuthError(
                gettext_noop("IAM refused the credentials (HTTP %(status)s): no error message"),
                status=response.status_code,
            )
        raise DrsAuthError(  # IAM's own message, as it returned it
            gettext_noop("IAM refused the credentials (HTTP %(status)s): %(error_msg)s"),
            status=response.status_code, error_msg=message,
        )
    value = response.headers.get("X-Subject-Token")
    if response.status_code not in (200, 201) or not value:
        raise DrsUnavailable(
            gettext_noop("IAM answered HTTP %(status)s without a token"),
            sent=False,
            status=response.status_code,
        )
    return IamToken(value=value, renew_at=asked_at + _usable_seconds(response))


def _usable_seconds(response: requests.Response) -> float:
    """How long the token may be used, measured on IAM's clock and renewed early."""
    try:
        token = response.json()["token"]
        expires_at = _parse_time(token["expires_at"])
        issued_at = _parse_time(token["issued_at"]) if token.get("issued_at") else None
    except (ValueError, KeyError, TypeError) as exc:
        raise DrsUnavailable(
            gettext_noop("IAM answered with a malformed token body"), sent=False) from exc
    lifetime = (expires_at - (issued_at or datetime.now(UTC))).total_seconds()
    margin = min(RENEW_MARGIN_SECONDS, RENEW_MARGIN_SHARE * lifetime)
    return max(0.0, lifetime - margin)


def _parse_time(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _iam_message(response: requests.Response) -> str | None:
    try:
        return str(response.json()["error"]["message"])[:200]
    except (ValueError, KeyError, TypeError):
        return None
