"""What the bench scripts share: the database (SQLite, or a PostgreSQL cluster named by
BENCH_DATABASE_URL), the servers they run (the standalone sandbox, gunicorn) and how they are
started and stopped, Django in this process, a valid draft, the log-in, wrk with per-run CPU
accounting, and the machine's description.

BENCH_DATABASE_URL (set by `make bench`) is a throwaway database: the bench empties it (DROP
SCHEMA public) before it migrates. DATABASE_URL is never used, so a bench cannot touch a real one.
"""

import contextlib
import datetime as dt
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
PY = sys.executable
WRK = shutil.which("wrk") or "/usr/bin/wrk"
DURATION = int(os.environ.get("BENCH_DURATION", "10"))  # seconds per wrk run
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
WORKERS = 2  # gunicorn sync workers: one per CPU of the 2-vCPU machine the figures are from
WRK_THREADS = 2
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
SANDBOX_PROJECT_ID = "054ba152d480d55b2f5dc0069e7ddef0"


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


BENCH_TEAM = "bench-team"


def bench_team():
    """The team (group) the bench's people are in (call after django.setup())."""
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=BENCH_TEAM)[0]


def sandbox_project(sandbox_url: str, project_id: str = SANDBOX_PROJECT_ID):
    """The "Bench sandbox" cloud project, granted to the bench's team (call after
    django.setup())."""
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
    project.groups.add(bench_team())
    return project


# --- the portal's database and Django in this process -----------------------------------------
def database_name() -> str:
    return "PostgreSQL" if DATABASE_URL else "SQLite"


def portal_env(tmp: Path, **extra) -> dict:
    """The environment of the portal's processes (and of this one, once `setup_django` ran)."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "drsui.settings"),
        "DRSUI_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # The bench submits as one person, hundreds a second.
        "DRSUI_SUBMITS_PER_MINUTE": "1000000",
        # Requests alone are measured: no status refresh thread in the web workers (the
        # embedded default's; production has none there either).
        "DRSUI_EMBEDDED_REFRESH": "0",
        **extra,
    }
    for name in ("DRSUI_ENV", "DATABASE_URL", "DRSUI_SQLITE_PATH"):
        env.pop(name, None)
    if DATABASE_URL:
        env["DATABASE_URL"] = DATABASE_URL
    else:
        env["DRSUI_SQLITE_PATH"] = str(tmp / "portal.sqlite3")
    return env


def setup_django(env: dict):
    """Django in this process on the portal's database, emptied and migrated."""
    import logging

    import django

    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    django.setup()
    for name in ("django.tasks", "drsui"):  # one line per task and per DRS call otherwise
        logging.getLogger(name).setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", interactive=False, verbosity=0)
    without_approval()


def without_approval():
    """The benches measure sending, not waiting for a person: the policy's catch-all (by
    default one ops approval) is set to "no approval needed" (README, Approvals)."""
    from drsui.jobs.models import ApprovalRule

    ApprovalRule.objects.filter(catch_all=True).update(approvals_needed=0)


def analyze():
    """PostgreSQL: statistics and the visibility map after a bulk load, as autovacuum would
    leave them on a database in use."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def start_sandbox(tmp: Path, env: dict) -> tuple[subprocess.Popen, str]:
    """The standalone DRS sandbox on its own SQLite file; returns it and its URL."""
    port = free_port()
    proc = start(
        [PY, "manage.py", "drs_sandbox", "--host", HOST, "--port", str(port), "--migrate"],
        env={**env, "DRSUI_SQLITE_PATH": str(tmp / "sandbox.sqlite3"), "DATABASE_URL": ""},
        log_path=tmp / "sandbox.log",
    )
    wait_listening(port, proc, "drs_sandbox")
    return proc, f"http://{HOST}:{port}"


def start_gunicorn(tmp: Path, env: dict) -> tuple[subprocess.Popen, str]:
    """`gunicorn drsui.wsgi -w WORKERS` (sync) on loopback, its workers up; returns it and its
    base URL."""
    port = free_port()
    proc = start(
        [PY, "-m", "gunicorn", "drsui.wsgi", "-w", str(WORKERS), "-k", "sync",
         "-b", f"{HOST}:{port}", "--timeout", "60", "--log-level", "warning"],
        env=env,
        log_path=tmp / "gunicorn.log",
    )
    wait_listening(port, proc, "gunicorn")
    deadline = time.monotonic() + 30
    while len(children_of(proc.pid)) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.1)
    return proc, f"http://{HOST}:{port}"


def log_tails(tmp: Path, log):
    for path in sorted(tmp.glob("*.log")):
        tail = path.read_text(errors="replace").splitlines()[-20:]
        log(f"--- last lines of {path.name} ---\n" + "\n".join(tail))


@contextlib.contextmanager
def quiet_sandbox(prefix: str):
    """The frame of a profiler: a temporary directory (removed after), the standalone sandbox,
    Django set up on the portal's database, logs at ERROR; yields (sandbox process, its URL)."""
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    sandbox = None
    try:
        env = portal_env(tmp, DRSUI_LOG_LEVEL="ERROR")
        sandbox, sandbox_url = start_sandbox(tmp, env)
        setup_django(env)
        yield sandbox, sandbox_url
    finally:
        stop(sandbox, "sandbox")
        shutil.rmtree(tmp, ignore_errors=True)


def run_with_sandbox(name: str, work, log) -> int:
    """The frame of a bench: a temporary directory, the sandbox, the portal's database
    migrated; `work(tmp, env, sandbox_url)` returns the report, printed and written to
    bench-results/<name>-<database>.md. The logs' tails are shown if it fails."""
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix=f"drsui-bench-{name}-"))
    env = portal_env(tmp)
    sandbox = None
    try:
        sandbox, sandbox_url = start_sandbox(tmp, env)
        log(f"sandbox on {sandbox_url}; {database_name()}")
        setup_django(env)
        report = work(tmp, env, sandbox_url)
        print(report)
        out = ROOT / "bench-results"
        out.mkdir(exist_ok=True)
        path = out / f"{name}-{database_name().lower()}.md"
        path.write_text(report)
        log(f"report written to {path}")
        return 0
    except Exception:
        log_tails(tmp, log)
        raise
    finally:
        stop(sandbox, "sandbox")
        shutil.rmtree(tmp, ignore_errors=True)


def valid_draft(*, owner, project, name: str):
    """An unsaved draft of the oracle body (tests/contract/bodies.py), every step reachable,
    its secrets stored encrypted; valid, or RuntimeError."""
    from drsui import contract as c
    from drsui.wizard.models import Draft
    from tests.contract.bodies import oracle_body

    body = oracle_body()
    body["job"]["base_info"]["name"] = name
    stripped, secrets = c.strip_secrets(body)
    job = stripped["job"]
    c.derive(job)
    problems = c.validate(c.body_for_validation(job, secrets))
    if problems:
        raise RuntimeError(f"the bench draft is not valid: {problems}")
    draft = Draft(owner=owner, project=project, name=name, body={"job": job},
                  furthest_step="review")
    draft.set_secrets(secrets)
    return draft


def login(base: str, username: str, password: str):
    """A requests session logged in to the portal."""
    import requests

    http = requests.Session()
    http.headers["Accept-Encoding"] = "identity"
    http.get(f"{base}/login/", timeout=30).raise_for_status()
    r = http.post(
        f"{base}/login/",
        timeout=30,
        allow_redirects=False,
        data={"username": username, "password": password, "next": "/",
              "csrfmiddlewaretoken": http.cookies["csrftoken"]},
    )
    if r.status_code != 302 or "sessionid" not in http.cookies:
        raise RuntimeError(f"login failed: HTTP {r.status_code}")
    return http


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- wrk --------------------------------------------------------------------------------------
def lua_str(s: str) -> str:
    """A Lua string literal: UTF-8 bytes, anything but plain characters as \\ddd."""
    plain = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:/;=%&,+*")
    return '"' + "".join(chr(b) if b in plain else f"\\{b:03d}" for b in s.encode()) + '"'


LUA_COMMON = r"""
local threads = {}
function setup(thread) table.insert(threads, thread); thread:set("thread_no", #threads) end
function init(args) statuses = {} end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  %s
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, k .. "=" .. v) end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%%d duration_us=%%d p50_us=%%d p99_us=%%d max_us=%%d mean_us=%%.1f " ..
    "err_connect=%%d err_read=%%d err_write=%%d err_timeout=%%d statuses=%%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, latency.mean, e.connect, e.read, e.write, e.timeout, table.concat(parts, ",")))
end
"""


def lua_script(
    *,
    cookie: str,
    csrf: str,
    method="GET",
    body="",
    htmx=False,
    save=False,
    version=0,
    submit_ids=(),
) -> str:
    headers = {"Cookie": cookie, "Accept-Encoding": "identity"}
    if method == "POST":
        headers.update({"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrf})
    if htmx:
        headers["HX-Request"] = "true"
    lines = [f"wrk.method = {lua_str(method)}"]
    lines += [f"wrk.headers[{lua_str(k)}] = {lua_str(v)}" for k, v in headers.items()]
    on_response = ""
    if save:
        # One connection, so requests go one after another: a saved draft (302) has moved to
        # the next version, and the next request carries it.
        lines += [
            f"version = {version}",
            f"template = {lua_str(body)}",
            "function request()",
            '  local b = string.gsub(template, "__VERSION__", tostring(version))',
            "  return wrk.format(nil, nil, nil, b)",
            "end",
        ]
        on_response = "if status == 302 then version = version + 1 end"
    elif submit_ids:
        # Each wrk thread takes every other draft: none is submitted twice. Running out
        # repeats the last one (the caller refuses such a run).
        lines += [
            f"wrk.body = {lua_str(body)}",
            "ids = {" + ",".join(str(pk) for pk in submit_ids) + "}",
            "sent = 0",
            "function request()",
            f"  local i = math.min(sent * {WRK_THREADS} + thread_no, #ids)",
            "  sent = sent + 1",
            '  return wrk.format(nil, "/drafts/" .. ids[i] .. "/review/")',
            "end",
        ]
    elif method == "POST":
        lines.append(f"wrk.body = {lua_str(body)}")
    return "\n".join(lines) + "\n" + LUA_COMMON % on_response


CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid: int) -> float:
    """utime + stime of `pid`, seconds."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def cpu_snapshot(workers: list[int], ours: list[int]) -> dict:
    """CPU seconds: the whole machine busy, the gunicorn workers, our other processes (the
    sandbox, this script) and our waited-for children (wrk)."""
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = parts
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "busy": (user + nice + system + irq + softirq) / CLK_TCK,
        "workers": sum(proc_cpu(p) for p in workers),
        "ours": sum(proc_cpu(p) for p in ours) + children.ru_utime + children.ru_stime,
    }


def cpu_delta(before: dict, after: dict, seconds: float, requests: int) -> dict:
    d = {k: after[k] - before[k] for k in before}
    other = max(d["busy"] - d["workers"] - d["ours"], 0.0)
    ncpu = os.cpu_count() or 1
    return {
        "cpu_ms_per_req": d["workers"] * 1000 / requests if requests else 0.0,
        "other_cpu_pct": 100 * other / (seconds * ncpu),
        "workers_cpu_pct": 100 * d["workers"] / (seconds * ncpu),
    }


def run_wrk(
    url: str,
    script: str,
    workdir: Path,
    *,
    probe,
    threads=WRK_THREADS,
    connections=CONCURRENCY,
    duration=DURATION,
) -> dict:
    path = workdir / "bench.lua"
    path.write_text(script)
    cmd = [
        WRK,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(path),
        url,
    ]
    before, t0 = probe(), time.monotonic()
    out = subprocess.run(
        cmd, capture_output=True, text=True, timeout=duration + 60, stdin=subprocess.DEVNULL
    )
    after, seconds_run = probe(), time.monotonic() - t0
    match = re.search(r"^BENCH (.*)$", out.stdout, re.M)
    if out.returncode != 0 or not match:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stdout}\n{out.stderr}")
    fields = dict(kv.split("=", 1) for kv in match.group(1).split(" "))
    statuses = {}
    for kv in filter(None, fields["statuses"].split(",")):
        k, v = kv.split("=")
        statuses[int(k)] = int(v)
    requests_sec = re.search(r"^Requests/sec:\s+([\d.]+)", out.stdout, re.M)
    n, seconds = int(fields["requests"]), int(fields["duration_us"]) / 1e6
    errors = sum(int(fields[k]) for k in ("err_connect", "err_read", "err_write", "err_timeout"))
    return {
        "rps": float(requests_sec.group(1)) if requests_sec else n / seconds,
        "p50": int(fields["p50_us"]) / 1000,
        "p99": int(fields["p99_us"]) / 1000,
        "max": int(fields["max_us"]) / 1000,
        "n": n,
        "statuses": statuses,
        "socket_errors": errors,
        "raw": out.stdout,
        "tool": f"wrk -t{threads} -c{connections} -d{duration}s",
        **cpu_delta(before, after, seconds_run, n),
    }




# --- the machine ----------------------------------------------------------------------------
def machine_info() -> dict:
    """What the figures were taken on (Linux)."""
    import django
    import gunicorn

    def proc_field(path, key):
        return next((line.split(":", 1)[1].strip() for line in Path(path).read_text()
                     .splitlines() if line.startswith(key)), "?")

    mem_kb = proc_field("/proc/meminfo", "MemTotal").split()[0]
    return {
        "nproc": os.cpu_count(),
        "cpu": proc_field("/proc/cpuinfo", "model name"),
        "mem": f"{int(mem_kb) / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "kernel": platform.release(),
        "wrk": subprocess.run([WRK, "-v"], capture_output=True, text=True).stdout.split(" [")[0],
        "django": django.__version__,
        "gunicorn": gunicorn.__version__,
    }


def children_of(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            kids.append(int(entry.name))
    return sorted(kids)


def proc_status(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])  # kB
    except OSError:
        return None
    return None

