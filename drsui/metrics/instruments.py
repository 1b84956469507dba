"""The portal's Prometheus instruments (prometheus_client, no Django).

One process (the embedded default) keeps its values in memory. Several (gunicorn workers and
`db_worker`s) share them through files: start every process with PROMETHEUS_MULTIPROC_DIR set
to the same empty directory, and /metrics adds them up (prometheus_client's multiprocess mode).
"""

import os

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

HTTP_REQUESTS = Counter(
    "drsui_http_requests",
    "HTTP requests answered, by view, method and status code.",
    ["view", "method", "status"],
)
HTTP_DURATION = Histogram(
    "drsui_http_request_duration_seconds",
    "Time to answer an HTTP request (to its first byte), by view and method.",
    ["view", "method"],
)
DRS_CALLS = Histogram(
    "drsui_drs_call_duration_seconds",
    "Calls to DRS and IAM: time to the answer, by call and status class "
    "(2xx, 3xx, 4xx, 5xx, or no_answer: unreachable, timed out or dropped).",
    ["call", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
SUBMISSION_OUTCOMES = Counter(
    "drsui_submission_outcomes",
    "Submissions reaching an outcome: created, failed or unknown (when sent, or when a lookup "
    "by name settles an unknown outcome).",
    ["outcome"],
)
NOTIFICATIONS = Counter(
    "drsui_notifications",
    "Webhook posts of notifications, by outcome: delivered, retry (to be tried again) or "
    "failed (given up).",
    ["outcome"],
)

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(method: str) -> str:
    """Only the usual methods are labels of their own: a label per invented one would grow
    the series without end."""
    return method if method in _METHODS else "other"


def drs_call_observed(call: str, status: int | None, seconds: float) -> None:
    """`status` None: no HTTP answer."""
    status_class = f"{status // 100}xx" if status else "no_answer"
    DRS_CALLS.labels(call=call, status=status_class).observe(seconds)


def exposition() -> bytes:
    """The instruments' values in Prometheus' text format: this process's, or with
    PROMETHEUS_MULTIPROC_DIR every process's added up."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)
