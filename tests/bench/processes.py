"""What the bench scripts share: loopback ports, starting and stopping the servers they run, and
the cloud project that points the portal at the standalone sandbox."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PY = sys.executable
WRK = shutil.which("wrk") or "/usr/bin/wrk"
DURATION = int(os.environ.get("BENCH_DURATION", "10"))  # seconds per wrk run


def logger(prefix: str):
    def log(msg: str):
        print(f"[{prefix} {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    return log


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} before listening")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {HOST}:{port} within {seconds:.0f}s")


def _die_with_parent():
    """In the child, before exec: SIGTERM it when the bench dies, even by SIGKILL (Linux)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start(cmd: list[str], *, env: dict, log_path) -> subprocess.Popen:
    """A server in its own process group (so `stop` takes its workers too), output to a file;
    it dies with the bench."""
    out = open(log_path, "wb")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )


def stop(proc: subprocess.Popen | None, what: str):
    """SIGTERM the process group, then SIGKILL it if it lingers."""
    if proc is None:
        return
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            print(f"{what} ignored {sig.name}", file=sys.stderr, flush=True)
            continue
        # The leader is gone; make sure nothing else is left in its group.
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return


def sandbox_project(sandbox_url: str, project_id: str):
    """The "Bench sandbox" cloud project (call after django.setup())."""
    from drsui.wizard.models import CloudProject

    project = CloudProject(
        name="Bench sandbox",
        region="cn-north-4",
        project_id=project_id,
        drs_endpoint=sandbox_url,
        iam_endpoint=sandbox_url,
        iam_user="sandbox",
        iam_domain="sandbox",
    )
    project.set_iam_password("sandbox")
    project.full_clean()
    project.save()
    return project
