"""DRS v5 client: create a job and the neighbouring calls a portal needs.

POSTs (create, action) are never repeated after a failure that may have reached DRS; GETs are
repeated once when the first attempt certainly never reached it. A 401 with a password token
drops the token, renews it and repeats the request once: DRS accepted nothing with that 401.
With an access key pair no token is used: each request is signed as the official SDK signs it
(drsui.contract.signing), and a 401 is final.
"""

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import requests
import urllib3.exceptions
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from drsui.contract import signing
from drsui.drs.credentials import AccessKeyCredentials, PasswordCredentials, StaticToken
from drsui.drs.errors import DrsApiError, DrsAuthError, DrsUnavailable
from drsui.drs.http import HttpSession
from drsui.drs.tokens import TOKEN_CACHE, request_token, token_cache_key
from drsui.metrics.instruments import drs_call_observed

logger = logging.getLogger("drsui.drs")


def x_language(language: str) -> str:
    """DRS's X-Language for a language code: "zh-cn" for Chinese (Django's "zh-hans", "zh-cn",
    "zh"), else "en-us". DRS then answers its error messages in that language."""
    return "zh-cn" if language.lower().startswith("zh") else "en-us"


class DrsClient:
    def __init__(
        self,
        *,
        drs_endpoint: str,
        iam_endpoint: str,
        project_id: str,
        credentials: PasswordCredentials | StaticToken | AccessKeyCredentials,
        language: str = "en",
        connect_timeout: float = 5,
        read_timeout: float = 30,
        session: requests.Session | None = None,
        clock: Callable[[], datetime] | None = None,
    ):
        self.drs_endpoint = drs_endpoint.rstrip("/")
        self.iam_endpoint = iam_endpoint.rstrip("/")
        self.project_id = project_id
        self.credentials = credentials
        self.language = x_language(language)  # sent as X-Language on every request
        self.timeout = (connect_timeout, read_timeout)
        self.session = session or HttpSession(
            connect_timeout=connect_timeout, read_timeout=read_timeout
        )
        self.clock = clock or (lambda: datetime.now(UTC))  # X-Sdk-Date of signed requests

    def __repr__(self):
        return f"DrsClient(drs_endpoint={self.drs_endpoint!r}, project_id={self.project_id!r})"

    # --- the API -------------------------------------------------------------------------

    def create_job(self, body: dict) -> dict:
        """POST /v5/{project_id}/jobs; returns the job: {id, name, status, create_time, ...}."""
        reply = self._call("create_job", "POST", "/jobs", body=body)
        job = reply.get("job") if isinstance(reply.get("job"), dict) else reply
        if not job.get("id"):
            raise DrsUnavailable(gettext_noop("DRS answered the create without a job id"),
                                 sent=True)
        return job

    def get_job(self, job_id: str) -> dict:
        reply = self._call("get_job", "GET", f"/jobs/{quote(job_id, safe='')}", retry_unsent=True)
        if not isinstance(reply.get("job"), dict):
            raise DrsUnavailable(gettext_noop("DRS answered without a job object"), sent=True)
        return reply["job"]

    def list_jobs(
        self,
        *,
        offset: int = 0,
        limit: int = 10,
        name: str | None = None,
        status: str | None = None,
    ) -> dict:
        params = {"offset": offset, "limit": limit}
        if name:
            params["name"] = name
        if status:
            params["status"] = status
        return self._call("list_jobs", "GET", "/jobs", params=params, retry_unsent=True)

    def job_action(self, job_id: str, action_name: str, **extra) -> dict:
        body = {"job": {"action_name": action_name, **extra}}
        return self._call("job_action", "POST", f"/jobs/{quote(job_id, safe='')}/action", body=body)

    def get_job_action_result(self, job_id: str, type: str, query_id: str) -> dict:
        return self._call(
            "get_job_action_result",
            "GET",
            f"/jobs/{quote(job_id, safe='')}",
            params={"type": type, "query_id": query_id},
            retry_unsent=True,
        )

    # --- plumbing ------------------------------------------------------------------------

    def _call(
        self,
        call: str,
        method: str,
        path: str,
        *,
        body: dict | None = None,
        params: dict | None = None,
        retry_unsent: bool = False,
    ) -> dict:
        """`call` names the call in the metrics."""
        url = f"{self.drs_endpoint}/v5/{quote(self.project_id, safe='')}{path}"
        request = {"call": call, "method": method, "url": url, "body": body, "params": params}
        if not retry_unsent:
            return self._call_once(**request)
        try:
            return self._call_once(**request)
        except DrsUnavailable as exc:
            if exc.sent:
                raise
            logger.info("DRS %s %s not sent (%s); trying once more", method, path, exc)
        return self._call_once(**request)

    def _call_once(self, **request) -> dict:
        if isinstance(self.credentials, AccessKeyCredentials):
            return _reply_or_raise(self._send(**request))
        token = self._token()
        response = self._send(**request, token=token)
        if response.status_code == 401 and isinstance(self.credentials, PasswordCredentials):
            TOKEN_CACHE.discard(self._token_key(), value=token)
            token = self._token()
            response = self._send(**request, token=token)
        return _reply_or_raise(response)

    def _send(
        self,
        *,
        call: str,
        method: str,
        url: str,
        body: dict | None,
        params: dict | None,
        token: str | None = None,
    ) -> requests.Response:
        """One request, with X-Auth-Token `token`, or signed with the access key pair."""
        headers = {"X-Language": self.language, "Content-Type": "application/json"}
        data = None if body is None else json.dumps(body, allow_nan=False).encode()
        query = [(key, str(value)) for key, value in (params or {}).items()]
        parts = urlsplit(url)
        path = parts.path
        if token is not None:
            headers["X-Auth-Token"] = token
        else:
            headers = signing.sign(
                access_key=self.credentials.access_key,
                secret_key=self.credentials.secret_key,
                method=method,
                host=parts.netloc,
                path=path,
                query=query,
                headers={
                    **headers,
                    "User-Agent": self.session.headers.get("User-Agent", ""),
                    "X-Project-Id": self.project_id,
                },
                body=data or b"",
                now=self.clock(),
            )
        if query:  # sent in the canonical form the signature covers, as the SDK does
            url = f"{url}?{signing.canonical_query(query)}"
        started = time.monotonic()
        try:
            response = self.session.request(
                method,
                url,
                headers=headers,
                data=data,
                timeout=self.timeout,
                allow_redirects=False,  # a redirect must not carry the credentials elsewhere
            )
        except requests.RequestException as exc:
            drs_call_observed(call, None, time.monotonic() - started)
            sent = not _certainly_not_sent(exc)
            logger.warning(
                "DRS %s %s failed after %.0f ms: %s (sent=%s)",
                method,
                path,
                (time.monotonic() - started) * 1000,
                type(exc).__name__,
                sent,
            )
            raise DrsUnavailable(
                gettext_noop("no answer from DRS (%(error)s, outcome unknown)") if sent
                else gettext_noop("no answer from DRS (%(error)s, not sent)"),
                sent=sent, error=type(exc).__name__,
            ) from exc
        drs_call_observed(call, response.status_code, time.monotonic() - started)
        logger.info(
            "DRS %s %s -> %s in %.0f ms",
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return response

    def _token(self) -> str:
        if isinstance(self.credentials, StaticToken):
            return self.credentials.token
        return TOKEN_CACHE.get(
            self._token_key(),
            fetch=lambda: request_token(
                session=self.session,
                iam_endpoint=self.iam_endpoint,
                project_id=self.project_id,
                credentials=self.credentials,
                timeout=self.timeout,
                language=self.language,
            ),
        )

    def _token_key(self) -> str:
        return token_cache_key(
            iam_endpoint=self.iam_endpoint,
            project_id=self.project_id,
            credentials=self.credentials,
        )


def _certainly_not_sent(exc: requests.RequestException) -> bool:
    """True only when the connection was never established, so DRS cannot have seen anything."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.ReadTimeout):
        reason = exc.args[0] if exc.args else None
        if isinstance(reason, urllib3.exceptions.MaxRetryError):
            reason = reason.reason
        # NewConnectionError covers refused connections and DNS failures (NameResolutionError).
        return isinstance(reason, urllib3.exceptions.NewConnectionError)
    return False


def _reply_or_raise(response: requests.Response) -> dict:
    status = response.status_code
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        data = None

    if 200 <= status < 300:
        if data is None:
            raise DrsUnavailable(
                gettext_noop("DRS answered HTTP %(status)s with a malformed body"),
                sent=True, status=status,
            )
        return data
    error_code = str((data or {}).get("error_code") or "")
    # DRS's own message as it returned it (in the X-Language asked for), never re-translated.
    error_msg = str((data or {}).get("error_msg") or "") or _(
        "HTTP %(status)s without a DRS error body") % {"status": status}
    if status in (401, 403):
        raise DrsAuthError(
            gettext_noop("DRS refused the credentials (HTTP %(status)s): %(error_msg)s"),
            status=status, error_msg=error_msg,
        )
    if 400 <= status < 500:
        raise DrsApiError(status, error_code, error_msg)
    if error_code:
        raise DrsUnavailable(gettext_noop("DRS answered HTTP %(status)s (%(code)s)"),
                             sent=True, status=status, code=error_code)
    raise DrsUnavailable(gettext_noop("DRS answered HTTP %(status)s (no error code)"),
                         sent=True, status=status)
