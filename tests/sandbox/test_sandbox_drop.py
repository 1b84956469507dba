"""The dropped-connection fault and the share of hangs: the request is handled, then the client
gets no answer. Under Django's threaded server (the live portal) and under gunicorn's sync
worker (`make serve`), which would both answer a 500 to an exception raised in the view."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sandbox_helpers import PROJECT_ID, SandboxApi, mysql_body
from test_sandbox_standalone import free_port, wait_until_listening

from drsui.sandbox.faults import set_faults
from drsui.sandbox.models import SandboxJob

ROOT = Path(__file__).resolve().parents[2]
CREATE_PATH = f"/v5/{PROJECT_ID}/jobs"


@pytest.fixture
def api(live_server):
    """A dropped connection needs a real one: the sandbox inside the live portal."""
    return SandboxApi(live_server.url + "/sandbox")


def create_answers(api: SandboxApi, names, *, token, read_timeout=5.0) -> list[str]:
    """For each create: its HTTP status, "dropped" (the connection ended without an answer)
    or "timeout"."""
    seen = []
    for name in names:
        try:
            response = requests.post(f"{api.base_url}{CREATE_PATH}", json=mysql_body(name=name),
                                     headers={"X-Auth-Token": token}, timeout=(2, read_timeout))
        except requests.ReadTimeout:
            seen.append("timeout")
        except requests.ConnectionError:
            seen.append("dropped")
        else:
            seen.append(str(response.status_code))
    return seen


def test_a_dropped_connection_gets_no_answer_but_the_job_exists(api):
    token = api.token()
    set_faults(drop_rate=0.5, scope="create")

    answers = create_answers(api, ["drop-1", "drop-2", "drop-3", "drop-4"], token=token)

    assert answers == ["200", "dropped", "200", "dropped"]
    assert sorted(SandboxJob.objects.values_list("name", flat=True)) == [
        "drop-1", "drop-2", "drop-3", "drop-4"]
    assert api.request("GET", "/jobs", token=token).json()["total_count"] == 4  # still serving


def test_a_hang_rate_delays_only_its_share_of_requests(api):
    token = api.token()
    set_faults(hang_seconds=4, hang_rate=0.5, scope="create")

    # 2 s: room for the first answer on a loaded machine; the hang outlasts it
    answers = create_answers(api, ["hang-1", "hang-2"], token=token, read_timeout=2)

    assert answers == ["200", "timeout"]
    assert SandboxJob.objects.filter(name__startswith="hang-").count() == 2


def test_faults_of_different_shares_each_hit_their_own_requests(api):
    token = api.token()
    set_faults(error_rate=0.5, drop_rate=1 / 3, scope="create")

    answers = create_answers(api, [f"mixed-{n}" for n in range(1, 7)], token=token)

    # 2, 4, 6: 500 (error first); 3: dropped; 6 is also due a drop but already answered 500.
    assert answers == ["200", "500", "dropped", "500", "200", "500"]
    assert SandboxJob.objects.count() == 3  # 1, 3, 5: a 500 is answered before the work


@pytest.fixture
def portal_under_gunicorn(tmp_path):
    """The portal (sandbox mounted) under gunicorn's sync worker on a fresh SQLite file."""
    port = free_port()
    env = {**os.environ, "DRSUI_SQLITE_PATH": str(tmp_path / "portal.sqlite3"),
           "DRSUI_SANDBOX_ENABLED": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("DRSUI_ENV", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True, timeout=120)
    log = open(tmp_path / "gunicorn.log", "w+")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "drsui.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_listening(port, process)
        requests.get(f"http://127.0.0.1:{port}/healthz", timeout=60)  # the worker has loaded
        yield f"http://127.0.0.1:{port}/sandbox", log
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_under_gunicorn_a_drop_closes_the_connection_quietly(portal_under_gunicorn):
    base_url, log = portal_under_gunicorn
    api = SandboxApi(base_url)
    token = api.token()
    faults = requests.put(f"{base_url}/_control/faults",
                          json={"drop_rate": 0.5, "scope": "create"}, timeout=5)
    assert faults.status_code == 200

    answers = create_answers(api, ["gun-1", "gun-2", "gun-3"], token=token)

    assert answers == ["200", "dropped", "200"]
    listed = api.request("GET", "/jobs", token=token).json()
    assert sorted(job["name"] for job in listed["jobs"]) == ["gun-1", "gun-2", "gun-3"]
    time.sleep(0.2)  # let the worker's log line (if any) reach the file
    log.seek(0)
    assert "Traceback" not in log.read()  # a client gone, not a worker error
