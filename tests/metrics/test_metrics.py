"""/metrics for Prometheus: what moves after submissions, the queue gauges, who may scrape."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.core.management import call_command
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from drsui.jobs.services.refresh import submission_refresh_due
from drsui.jobs.services.submit import submission_create

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def scrape(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


def value(text: str, name: str, **labels) -> float:
    """The sample's value, 0 when there is none (a labelled series appears when first used)."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                return sample.value
    return 0.0


def moved(before: str, after: str, name: str, **labels) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_submissions_move_the_outcome_drs_and_request_counters(
        client, sandbox, make_draft, demo_user):
    before = scrape(client)

    created = submission_create(draft=make_draft(sandbox.project, name="metrics-1"),
                                user=demo_user)
    failed = submission_create(draft=make_draft(sandbox.project, name="METRICS-1"),
                               user=demo_user)  # DRS refuses a second task of that name
    client.force_login(demo_user)
    assert client.get(reverse("submission_detail", args=[created.pk])).status_code == 200

    after = scrape(client)
    created.refresh_from_db(), failed.refresh_from_db()
    assert (created.state, failed.state) == ("created", "failed")
    assert moved(before, after, "drsui_submission_outcomes_total", outcome="created") == 1
    assert moved(before, after, "drsui_submission_outcomes_total", outcome="failed") == 1
    calls = "drsui_drs_call_duration_seconds_count"
    assert moved(before, after, calls, call="create_job", status="2xx") == 1
    assert moved(before, after, calls, call="create_job", status="4xx") == 1
    assert moved(before, after, calls, call="iam_token", status="2xx") == 1
    requests = "drsui_http_requests_total"
    assert moved(before, after, requests, view="submission_detail", method="GET",
                 status="200") == 1
    assert moved(before, after, requests, view="sandbox:jobs", method="POST", status="200") == 1
    assert moved(before, after, "drsui_http_request_duration_seconds_count",
                 view="submission_detail", method="GET") == 1


def test_an_unreachable_drs_counts_as_no_answer(client, sandbox, make_draft, demo_user):
    sandbox.project.drs_endpoint = sandbox.project.iam_endpoint = "http://127.0.0.1:9"
    sandbox.project.save()
    before = scrape(client)

    submission_create(draft=make_draft(sandbox.project), user=demo_user)

    after = scrape(client)
    assert moved(before, after, "drsui_drs_call_duration_seconds_count", call="iam_token",
                 status="no_answer") == 1
    assert moved(before, after, "drsui_submission_outcomes_total", outcome="failed") == 1


def test_the_queue_gauges_show_a_waiting_task_until_a_worker_runs_it(client, settings):
    settings.TASKS = DATABASE_QUEUE
    assert 'drsui_task_queue_depth{queue="default"} 0.0' in scrape(client)

    submission_refresh_due.enqueue()

    waiting = scrape(client)
    assert value(waiting, "drsui_task_queue_depth", queue="default") == 1
    assert 'drsui_task_queue_oldest_age_seconds{queue="default"}' in waiting
    assert value(waiting, "drsui_task_queue_oldest_age_seconds", queue="default") >= 0

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    done = scrape(client)  # an empty queue is a 0, not a missing series
    for gauge in ("depth", "oldest_age_seconds", "running"):
        assert f'drsui_task_queue_{gauge}{{queue="default"}} 0.0' in done


@pytest.mark.parametrize("headers", [
    {"REMOTE_ADDR": "10.20.30.40"},
    {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
    {"REMOTE_ADDR": "10.20.30.40", "HTTP_AUTHORIZATION": "Bearer anything"},
], ids=["another machine", "relayed by a proxy", "a token while none is set"])
def test_only_loopback_clients_may_scrape_without_a_token(client, headers):
    response = client.get("/metrics", **headers)

    assert response.status_code == 403
    assert b"drsui_" not in response.content


def test_a_bearer_token_lets_another_machine_scrape(client, settings):
    settings.DRSUI_METRICS_TOKEN = "scrape-token-Zx81"
    remote = {"REMOTE_ADDR": "10.20.30.40"}

    assert scrape(client, HTTP_AUTHORIZATION="Bearer scrape-token-Zx81", **remote)
    refused = client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **remote)
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", **remote).status_code == 401
    assert scrape(client)  # loopback still may


def test_several_processes_are_added_up(tmp_path):
    """gunicorn workers and db_worker share their values through PROMETHEUS_MULTIPROC_DIR."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = textwrap.dedent("""
        from drsui.metrics.instruments import SUBMISSION_OUTCOMES, drs_call_observed
        SUBMISSION_OUTCOMES.labels(outcome="created").inc()
        drs_call_observed("create_job", 200, 0.05)
    """)
    for _ in range(2):
        subprocess.run([sys.executable, "-c", count], env=env, check=True, timeout=60)

    text = subprocess.run(
        [sys.executable, "-c", "import sys; from drsui.metrics.instruments import exposition;"
                               "sys.stdout.write(exposition().decode())"],
        env=env, check=True, timeout=60, capture_output=True, text=True).stdout

    assert value(text, "drsui_submission_outcomes_total", outcome="created") == 2
    assert value(text, "drsui_drs_call_duration_seconds_count", call="create_job",
                 status="2xx") == 2
