"""`make run`'s runserver starts the status refresher (and the notification sweep) once: in
the process that serves, not in the autoreloader's parent that only watches files."""

import os
import signal
import socket
import subprocess
import sys
import time

import requests
from deploy_helpers import ROOT

STARTED = "status refresh: running in this process"
NOTIFY_STARTED = "notification sweep: running in this process"  # drsui.notify.embedded


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_runserver_with_its_autoreloader_runs_one_refresher(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DRSUI_ENV", "DRSUI_EMBEDDED_REFRESH")}
    env.update(DRSUI_SQLITE_PATH=str(tmp_path / "portal.sqlite3"), PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True, timeout=180)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        answer = None
        for _ in range(600):  # until the serving child answers (at most a minute)
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except requests.ConnectionError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
        assert answer is not None and answer.status_code == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the reloader and its child
        output = server.communicate(timeout=30)[0]
    assert output.count(STARTED) == 1, output
    assert output.count(NOTIFY_STARTED) == 1, output
