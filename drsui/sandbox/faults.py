"""Fault injection for the sandbox, for tests and demos.

Faults live in the SandboxFaults row, so every worker process sees them. With scope "all" they
apply to every DRS request (latency to IAM requests too); with scope "create" only to
POST /v5/{project_id}/jobs.

- latency_ms: sleep before handling the request.
- error_rate: share of DRS requests answered 500 with a DRS error body, not handled.
- malformed_rate: share of DRS requests answered 200 with a body that is not JSON, not handled.
- hang_seconds: handle the request, then sleep this long before answering (the job exists but the
  client has timed out: "sent, outcome unknown"); hang_rate: the share of DRS requests that hang
  (default 1: every one).
- drop_rate: share of DRS requests handled, then left without an answer: the connection is
  closed (a create made the job; the client sees the connection end, outcome unknown).

The shares are deterministic, not random: the n-th DRS request in scope since the faults were
set fails when floor(n * rate) > floor((n - 1) * rate) — rate 0.5 fails requests 2, 4, 6 …;
rate 0.3 fails 4, 7, 10 …; rate 1 fails all. A request gets one fault at most, the first due of
error, malformed, drop, hang (in that order): a request that gets a 500 does not count as
malformed. Rates of the same size hit the same requests, so the later fault never happens: give
them different sizes (a drop share of 0.07 beside an error share of 0.2 loses 1 drop in 7).
"""

import errno
import math
import socket
from functools import wraps

from django.db.models import F
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from drsui.sandbox import clock
from drsui.sandbox.models import SandboxFaults
from drsui.sandbox.server import current_connection

DEFAULTS = {
    "latency_ms": 0,
    "error_rate": 0.0,
    "hang_seconds": 0.0,
    "malformed_rate": 0.0,
    "drop_rate": 0.0,
    "hang_rate": 1.0,
    "scope": SandboxFaults.SCOPE_ALL,
}
FIELDS = tuple(DEFAULTS)
SCOPES = (SandboxFaults.SCOPE_ALL, SandboxFaults.SCOPE_CREATE)
INTERNAL_ERROR_CODE = "DRS.10000500"


# The largest value of each numeric setting (the smallest is 0).
MAXIMA = {
    "latency_ms": 600_000,
    "hang_seconds": 3600,
    "error_rate": 1,
    "malformed_rate": 1,
    "drop_rate": 1,
    "hang_rate": 1,
}


def faults_validate(values: dict) -> dict:
    """Checked, typed fault settings from untrusted input; raises ValueError naming the field."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
    checked = {}
    for name, maximum in MAXIMA.items():
        if name not in values:
            continue
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{name}: a number is required")
        if not 0 <= value <= maximum:  # also refuses NaN
            raise ValueError(f"{name}: from 0 to {maximum}")
        if name == "latency_ms" and value != int(value):
            raise ValueError("latency_ms: a whole number of milliseconds is required")
        checked[name] = int(value) if name == "latency_ms" else float(value)
    if "scope" in values:
        if values["scope"] not in SCOPES:
            raise ValueError(f"scope: one of {', '.join(SCOPES)}")
        checked["scope"] = values["scope"]
    return checked


def set_faults(**values) -> dict:
    """Replace the faults: the values given, no fault (and scope "all") for the rest."""
    checked = faults_validate(values)
    SandboxFaults.objects.update_or_create(
        pk=1, defaults={**DEFAULTS, **checked, "requests_seen": 0}
    )
    return faults_as_dict()


def clear_faults() -> dict:
    return set_faults()


def faults_as_dict() -> dict:
    faults = SandboxFaults.load()
    return {name: getattr(faults, name) for name in (*FIELDS, "requests_seen")}


def _due(n: int, rate: float) -> bool:
    return rate > 0 and math.floor(n * rate + 1e-9) > math.floor((n - 1) * rate + 1e-9)


def _count_request() -> int:
    SandboxFaults.objects.filter(pk=1).update(requests_seen=F("requests_seen") + 1)
    return SandboxFaults.objects.values_list("requests_seen", flat=True).get(pk=1)


def faulted(*, iam: bool = False, create_on_post: bool = False):
    """Decorate a sandbox view with the configured faults.

    `create_on_post`: a POST to this view creates a job (the "create" scope).
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            faults = SandboxFaults.load()
            is_create = create_on_post and request.method == "POST"
            if faults.scope == SandboxFaults.SCOPE_CREATE and not is_create:
                return view(request, *args, **kwargs)
            if faults.latency_ms:
                clock.sleep(faults.latency_ms / 1000)
            if iam:
                return view(request, *args, **kwargs)
            hangs = faults.hang_seconds > 0
            n = 0
            if faults.error_rate or faults.malformed_rate or faults.drop_rate or (
                hangs and faults.hang_rate < 1
            ):
                n = _count_request()
            if _due(n, faults.error_rate):
                return JsonResponse(
                    {"error_code": INTERNAL_ERROR_CODE, "error_msg": _("Internal error.")},
                    status=500,
                )
            if _due(n, faults.malformed_rate):
                return HttpResponse(
                    b"<html><body>upstream reset</body></html>",
                    status=200,
                    content_type="application/json",
                )
            response = view(request, *args, **kwargs)
            if _due(n, faults.drop_rate):
                return connection_dropped(request)
            if hangs and (faults.hang_rate >= 1 or _due(n, faults.hang_rate)):
                clock.sleep(faults.hang_seconds)
            return response

        return wrapped

    return decorate


def _drop():
    raise BrokenPipeError(errno.EPIPE, "sandbox fault: connection dropped")
    yield b""  # a generator: it raises when the server asks for the first bytes


def connection_dropped(request) -> StreamingHttpResponse:
    """Close the client's connection and answer nothing, not even a status line.

    The socket is shut down first (gunicorn names it in the environ; Django's servers through
    drsui.sandbox.server), so the client sees the connection end at once. The response's first
    bytes then raise a broken pipe, which both servers take for a client gone and drop
    quietly (Django would turn an exception raised in the view into a 500 instead)."""
    connection = request.META.get("gunicorn.socket") or current_connection()
    if connection is not None:
        try:
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    return StreamingHttpResponse(_drop(), content_type="application/json")
