"""Fault injection for the sandbox, for tests and demos.

Faults live in the SandboxFaults row, so every worker process sees them. With scope "all" they
apply to every DRS request (latency to IAM requests too); with scope "create" only to
POST /v5/{project_id}/jobs.

- latency_ms: sleep before handling the request.
- error_rate: share of DRS requests answered 500 with a DRS error body, not handled.
- malformed_rate: share of DRS requests answered 200 with a body that is not JSON, not handled.
- hang_seconds: handle the request, then sleep this long before answering (the job exists but the
  client has timed out: "sent, outcome unknown").

The shares are deterministic, not random: the n-th DRS request in scope since the faults were
set fails when floor(n * rate) > floor((n - 1) * rate) — rate 0.5 fails requests 2, 4, 6 …;
rate 0.3 fails 4, 7, 10 …; rate 1 fails all. The error rate is checked first, so a request
that gets a 500 does not count as malformed.
"""

import math
from functools import wraps

from django.db.models import F
from django.http import HttpResponse, JsonResponse

from drsui.sandbox import clock
from drsui.sandbox.models import SandboxFaults

DEFAULTS = {
    "latency_ms": 0,
    "error_rate": 0.0,
    "hang_seconds": 0.0,
    "malformed_rate": 0.0,
    "scope": SandboxFaults.SCOPE_ALL,
}
FIELDS = tuple(DEFAULTS)
SCOPES = (SandboxFaults.SCOPE_ALL, SandboxFaults.SCOPE_CREATE)
INTERNAL_ERROR_CODE = "DRS.10000500"


# The largest value of each numeric setting (the smallest is 0).
MAXIMA = {"latency_ms": 600_000, "hang_seconds": 3600, "error_rate": 1, "malformed_rate": 1}


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
            if faults.error_rate or faults.malformed_rate:
                n = _count_request()
                if _due(n, faults.error_rate):
                    return JsonResponse(
                        {"error_code": INTERNAL_ERROR_CODE, "error_msg": "Internal error."},
                        status=500,
                    )
                if _due(n, faults.malformed_rate):
                    return HttpResponse(
                        b"<html><body>upstream reset</body></html>",
                        status=200,
                        content_type="application/json",
                    )
            response = view(request, *args, **kwargs)
            if faults.hang_seconds:
                clock.sleep(faults.hang_seconds)
            return response

        return wrapped

    return decorate
