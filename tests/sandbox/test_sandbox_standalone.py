"""`manage.py drs_sandbox` serves the sandbox alone, at the root of its port."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sandbox_helpers import PROJECT_ID, SandboxApi, mysql_body

from drsui.drs import DrsClient, DrsUnavailable, PasswordCredentials

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(port: int, process: subprocess.Popen, *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"drs_sandbox exited: {process.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("drs_sandbox did not start listening")


@pytest.fixture
def standalone_sandbox(tmp_path):
    """A sandbox process on a fresh SQLite file; yields its base URL."""
    port = free_port()
    env = {**os.environ, "DRSUI_SQLITE_PATH": str(tmp_path / "sandbox.sqlite3")}
    env.pop("DATABASE_URL", None)  # the suite's PostgreSQL run: still a fresh SQLite file
    process = subprocess.Popen(
        [
            sys.executable,
            str(MANAGE_PY),
            "drs_sandbox",
            "--port",
            str(port),
            "--migrate",
            "--config-delay",
            "0",
            "--error-rate",
            "0.5",
            "--fault-scope",
            "create",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_listening(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_standalone_sandbox_serves_drs_and_iam_at_the_root(standalone_sandbox):
    client = DrsClient(
        drs_endpoint=standalone_sandbox,
        iam_endpoint=standalone_sandbox,
        project_id=PROJECT_ID,
        credentials=PasswordCredentials(user="sandbox", password="sandbox", domain="sandbox"),
        read_timeout=5,
    )

    job = client.create_job(mysql_body())  # create #1 passes, #2 fails (--error-rate 0.5)
    with pytest.raises(DrsUnavailable):
        client.create_job(mysql_body(name="second-one"))

    assert client.get_job(job["id"])["status"] == "CONFIGURATION"  # --config-delay 0
    assert client.list_jobs()["total_count"] == 1
    faults = requests.get(f"{standalone_sandbox}/_control/faults", timeout=5).json()
    assert (faults["error_rate"], faults["scope"], faults["requests_seen"]) == (0.5, "create", 2)
    assert SandboxApi(standalone_sandbox).request("GET", "/jobs/nope").status_code == 404


def test_on_a_database_never_migrated_it_says_what_to_run(tmp_path):
    env = {**os.environ, "DRSUI_SQLITE_PATH": str(tmp_path / "fresh.sqlite3")}
    done = subprocess.run([sys.executable, str(MANAGE_PY), "drs_sandbox", "--port", "0"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "run `manage.py migrate` first, or start it with --migrate." in done.stderr
    assert "Traceback" not in done.stderr
