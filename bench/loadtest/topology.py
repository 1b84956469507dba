"""The processes of `make serve`'s production topology, started one by one so that the load test
can choose how many of each, and kill one: PostgreSQL (tools/throwaway-pg), the Procfile's web
(gunicorn serving HTTPS with tools/self-signed-cert's certificate), worker (db_worker) and
refresh, and the standalone DRS sandbox in their place of DRS and IAM."""

import os
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PY = str(ROOT / ".venv" / "bin" / "python")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def procfile() -> dict[str, list[str]]:
    """The Procfile's commands by process kind, run from the project's .venv."""
    kinds = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if ":" in line and not line.startswith("#"):
            kind, command = line.split(":", 1)
            argv = shlex.split(command)
            if argv[0] == "python":
                argv[0] = PY
            kinds[kind.strip()] = argv
    return kinds


class Topology:
    """Everything lives in `folder` (.loadtest): the cluster, keys, certificate, logs."""

    def __init__(self, folder: Path, *, settings: dict[str, str]):
        self.folder = folder
        self.logs = folder / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.settings = settings  # the run's own settings (timeouts, limits)
        self.processes: dict[str, subprocess.Popen] = {}
        self.database_url = ""
        self.sandbox_url = ""

    # --- once ---------------------------------------------------------------------------------

    def prepare(self) -> dict[str, str]:
        """Start PostgreSQL, make the keys and certificate, collectstatic and migrate; returns
        the production environment every portal process runs with. Every run starts on a new
        cluster."""
        pg = self.folder / "pg"
        subprocess.run(["tools/throwaway-pg", "stop", str(pg)], cwd=ROOT, check=False)
        if pg.is_symlink():  # throwaway-pg keeps it in /tmp when postgres cannot reach here
            shutil.rmtree(pg.resolve(), ignore_errors=True)
            pg.unlink()
        shutil.rmtree(pg, ignore_errors=True)
        self.database_url = subprocess.run(
            ["tools/throwaway-pg", "start", str(self.folder / "pg")], cwd=ROOT, check=True,
            capture_output=True, text=True).stdout.strip()
        tls = self.folder / "tls"
        if not (tls / "cert.pem").exists():
            subprocess.run(["tools/self-signed-cert", str(tls), HOST], cwd=ROOT, check=True)
        metrics = self.folder / "metrics"
        metrics.mkdir(exist_ok=True)
        for stale in metrics.iterdir():
            stale.unlink()
        self.env = {
            **os.environ,
            "DRSUI_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DRSUI_SECRET_KEYS": Fernet.generate_key().decode(),
            "DATABASE_URL": self.database_url,
            "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
            "DRSUI_TLS_CERT": str(tls / "cert.pem"),
            "DRSUI_TLS_KEY": str(tls / "key.pem"),
            "DRSUI_STATIC_ROOT": str(self.folder / "static"),
            "DRSUI_SANDBOX_ENABLED": "0",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics),
            "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",
            **self.settings,
        }
        for command in (["collectstatic", "--noinput", "-v", "0"],
                        ["migrate", "--noinput", "-v", "0"],
                        # Sending is measured, not waiting for a person: the policy's
                        # catch-all (one ops approval) becomes "no approval needed".
                        ["shell", "-c", "from drsui.jobs.models import ApprovalRule; "
                         "ApprovalRule.objects.filter(catch_all=True)"
                         ".update(approvals_needed=0)"]):
            subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=self.env, check=True)
        return self.env

    def start_sandbox(self):
        """The standalone sandbox on the same PostgreSQL, not production (plain HTTP, as a
        fake DRS): a hang or a drop then holds one of its threads, not a portal worker."""
        port = free_port()
        env = {**self.env, "DRSUI_SANDBOX_CONFIG_DELAY": "2"}
        for name in ("DRSUI_ENV", "DRSUI_TLS_CERT", "DRSUI_TLS_KEY", "PROMETHEUS_MULTIPROC_DIR"):
            env.pop(name)
        self._start("sandbox", [PY, "manage.py", "drs_sandbox", "--port", str(port)], env)
        self.sandbox_url = f"http://{HOST}:{port}"
        wait_http(f"{self.sandbox_url}/_control/faults", self.processes["sandbox"])

    def stop_all(self):
        for name in list(self.processes):
            self.stop(name)
        subprocess.run(["tools/throwaway-pg", "stop", str(self.folder / "pg")], cwd=ROOT,
                       check=False)

    # --- per phase ----------------------------------------------------------------------------

    def start_portal(self, *, webs: int, workers: int) -> list[str]:
        """`webs` gunicorn servers (2 workers each, as `make serve`), `workers` queue workers
        and one status refresher; returns the web servers' base URLs."""
        commands, urls = procfile(), []
        for n in range(webs):
            port = free_port()
            env = {**self.env, "DRSUI_BIND": f"{HOST}:{port}", "WEB_CONCURRENCY": "2"}
            self._start(f"web{n + 1}", commands["web"], env)
            urls.append(f"https://{HOST}:{port}")
        for n in range(workers):
            self.start_worker(n + 1)
        self._start("refresh", commands["refresh"], self.env)
        for n, url in enumerate(urls):
            wait_http(f"{url}/healthz", self.processes[f"web{n + 1}"],
                      cafile=self.env["DRSUI_TLS_CERT"])
        return urls

    def start_worker(self, n: int):
        argv = [*procfile()["worker"], "--worker-id", worker_id(n)]
        self._start(f"worker{n}", argv, self.env)

    def stop_portal(self):
        for name in list(self.processes):
            if name != "sandbox":
                self.stop(name)

    def kill(self, name: str) -> int:
        """SIGKILL the process (not its group: gunicorn aside, each is one process)."""
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait()
        return process.pid

    # --- processes ----------------------------------------------------------------------------

    def _start(self, name: str, argv: list[str], env: dict):
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        self.processes[name] = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent)

    def stop(self, name: str):
        """SIGTERM the process group, then SIGKILL it if it lingers."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
                process.wait(timeout=wait)
                return
            except ProcessLookupError:
                return
            except subprocess.TimeoutExpired:
                print(f"{name} ignored {sig.name}", file=sys.stderr, flush=True)


def worker_id(n: int) -> str:
    return f"loadtest-worker-{n}"


def wait_http(url: str, process: subprocess.Popen, *, cafile: str | None = None,
              seconds: float = 90):
    context = ssl.create_default_context(cafile=cafile) if cafile else None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5, context=context):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing answered {url} within {seconds:.0f} s")


def _die_with_parent():
    """In the child: SIGTERM it when the load test dies, even by SIGKILL (Linux)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
