"""Ops dashboard bench: the list with 10,000 submissions, and a burst of 200 through the queue.

    .venv/bin/python tests/bench/ops.py          # (the lead wires it into `make bench`)

What it does, in order:

1. A temp dir with a fresh SQLite database for the portal (DRSUI_SQLITE_PATH, DEBUG off),
   migrated, and a second one for the standalone sandbox (`manage.py drs_sandbox --port P
   --migrate`) on a free loopback port.
2. Seeds BENCH_OPS_ROWS (10,000) submissions: 20 users, 2 projects, every portal state and a
   spread of DRS statuses and engines over 30 days, plus an ops user.
3. `gunicorn drsui.wsgi -w 2` (sync workers) on 127.0.0.1, one login for the session cookie,
   then `wrk -t2 -c8 -d10s --latency` with that cookie against the dashboard list (/ops/), and
   for information against a filtered and sorted list, a deep page, a search, and the htmx poll
   of the table partial. Target: p99 under 100 ms for /ops/.
4. A burst of BENCH_OPS_BURST (200) submissions through the queue, against the standalone
   sandbox, compared with calling the sandbox directly (`DrsClient.create_job`):
   - direct, one call after another, and direct from 4 threads (the queue's parallelism);
   - the embedded default's queue: `submission_create` for each draft (validates, records the
     submission, enqueues `submission_send`), run by ThreadPoolBackend's threads;
   - the production queue: django-tasks-db's DatabaseBackend with 4 `manage.py db_worker`
     processes (a settings module in the temp dir sets TASKS; SQLite here, PostgreSQL in
     production).
   Each queue burst is timed from the first submit to the last submission created at DRS;
   throughput is printed as a ratio to the direct calls.

The report (Markdown) goes to stdout and to bench-results/ops.md; progress goes to stderr.
Exit 0 when a target is missed (a measurement, not a test); non-zero if the bench cannot run.

Environment: BENCH_DURATION (seconds per wrk run, default 10), BENCH_OPS_ROWS (default 10000),
BENCH_OPS_BURST (default 200).
"""

import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from processes import (
    DURATION,
    HOST,
    PY,
    ROOT,
    WRK,
    free_port,
    logger,
    sandbox_project,
    start,
    stop,
    wait_listening,
)

GUNICORN = str(Path(PY).with_name("gunicorn"))
ROWS = int(os.environ.get("BENCH_OPS_ROWS", "10000"))
BURST = int(os.environ.get("BENCH_OPS_BURST", "200"))
WORKERS = 2
QUEUE_THREADS = 4
MAX_P99_MS = 100.0
PROJECT_ID = "054ba152d480d55b2f5dc0069e7ddef0"
OPS_USER, OPS_PASSWORD = "bench-ops", "bench-ops-pass-1"

BENCH_SETTINGS = """from drsui.settings import *  # noqa: F401,F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
"""


log = logger("bench-ops")


# --- data -----------------------------------------------------------------------------------


def setup_django():
    import logging

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drsui.settings")
    django.setup()
    for name in ("django.tasks", "drsui"):  # one line per task and per DRS call otherwise
        logging.getLogger(name).setLevel(logging.WARNING)


def seed(sandbox_url: str) -> dict:
    """Migrate; the ops user, projects, users and ROWS submissions (bulk, a few seconds)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from drsui import contract as c
    from drsui.jobs.models import Submission, SubmissionBody
    from drsui.wizard.models import CloudProject, Draft
    from tests.contract.bodies import mysql_sync_body, oracle_body

    call_command("migrate", interactive=False, verbosity=0)
    users_model = get_user_model()
    ops = users_model.objects.create_user(OPS_USER, password=OPS_PASSWORD)
    ops.groups.add(Group.objects.get_or_create(name="ops")[0])
    sandbox = sandbox_project(sandbox_url, PROJECT_ID)
    other = CloudProject.objects.create(
        name="Bench other",
        region="eu-west-101",
        project_id="f" * 32,
        drs_endpoint="http://127.0.0.1:9",
        iam_endpoint="http://127.0.0.1:9",
    )
    people = [users_model(username=f"user{i:02d}") for i in range(20)]
    for person in people:
        person.set_unusable_password()
    users_model.objects.bulk_create(people)
    people = list(users_model.objects.filter(username__startswith="user"))

    bodies = {
        "oracle-to-gaussdbv5": c.mask_secrets(oracle_body()),
        "mysql-to-mysql": c.mask_secrets(mysql_sync_body()),
    }
    drs_statuses = [
        "CONFIGURATION",
        "INCRE_TRANSFER_STARTED",
        "FULL_TRANSFER_COMPLETE",
        "RELEASE_RESOURCE_COMPLETE",
        "CREATING",
        "START_JOB_FAILED",
    ]
    t0 = time.perf_counter()
    batch = 1000
    for start_at in range(0, ROWS, batch):
        n = min(batch, ROWS - start_at)
        drafts = Draft.objects.bulk_create(
            Draft(
                owner=people[i % len(people)],
                project=sandbox if i % 3 else other,
                name=f"bench-{start_at + i:05d}",
                furthest_step=6,
                body=bodies["oracle-to-gaussdbv5" if i % 4 else "mysql-to-mysql"],
            )
            for i in range(n)
        )
        rows = []
        for i, draft in enumerate(drafts):
            k = start_at + i
            engine = "oracle-to-gaussdbv5" if i % 4 else "mysql-to-mysql"
            kind = k % 20
            fields = {
                "state": "created",
                "drs_status": drs_statuses[k % len(drs_statuses)],
                "drs_job_id": f"{k:08x}-8e09-4a5d-8dd6-cc44f78jb20r",
            }
            if kind in (1, 2, 3):
                fields = {
                    "state": "failed",
                    "active": False,
                    "error_code": "DRS.10000001",
                    "error_msg": "source_endpoint.0.endpoint.ip: not reachable",
                }
            elif kind == 4:
                fields = {"state": "unknown", "error_code": "UNKNOWN"}
            rows.append(
                Submission(
                    draft=draft,
                    user=draft.owner,
                    project_id=draft.project_id,
                    name=draft.name,
                    engine_type=engine,
                    next_refresh_at=None,
                    **fields,
                )
            )
        rows = Submission.objects.bulk_create(rows)
        SubmissionBody.objects.bulk_create(
            SubmissionBody(submission=row, body=bodies[row.engine_type]) for row in rows
        )
    with connection.cursor() as cursor:  # spread over 30 days (auto_now_add set them to now)
        cursor.execute(
            "UPDATE jobs_submission SET created_at = datetime('now', '-' || (id % 720) || ' hours')"
        )
    count = Submission.objects.count()
    log(f"seeded {count} submissions in {time.perf_counter() - t0:.1f} s")
    connection.close()
    return {"count": count, "project_pk": sandbox.pk}


def make_drafts(prefix: str, n: int, project_pk: int) -> list[int]:
    from django.contrib.auth import get_user_model

    from drsui import contract as c
    from drsui.wizard import forms
    from drsui.wizard.models import CloudProject, Draft
    from tests.contract.bodies import oracle_body

    owner = get_user_model().objects.get(username="user00")
    project = CloudProject.objects.get(pk=project_pk)
    drafts = []
    for i in range(n):
        body = oracle_body()
        body["job"]["base_info"]["name"] = f"{prefix}-{i:04d}"
        stripped, secrets = c.strip_secrets(body)
        forms.derive(stripped["job"])
        draft = Draft(
            owner=owner, project=project, name=f"{prefix}-{i:04d}", body=stripped, furthest_step=6
        )
        draft.set_secrets(secrets)
        drafts.append(draft)
    Draft.objects.bulk_create(drafts)
    return list(Draft.objects.filter(name__startswith=f"{prefix}-").values_list("pk", flat=True))


# --- wrk ------------------------------------------------------------------------------------


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url: str, cookie: str, *, htmx: bool = False) -> dict:
    cmd = [WRK, "-t2", "-c8", f"-d{DURATION}s", "--latency", "-H", f"Cookie: {cookie}", url]
    if htmx:
        cmd[-1:-1] = ["-H", "HX-Request: true"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", out, re.M))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "p50": _ms(latency["50"]),
        "p90": _ms(latency["90"]),
        "p99": _ms(latency["99"]),
        "rps": rps,
        "n": total,
        "bad": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def login(base: str) -> str:
    import requests

    s = requests.Session()
    s.get(f"{base}/login/", timeout=30)
    r = s.post(
        f"{base}/login/",
        timeout=30,
        allow_redirects=False,
        data={
            "username": OPS_USER,
            "password": OPS_PASSWORD,
            "csrfmiddlewaretoken": s.cookies["csrftoken"],
        },
    )
    if r.status_code != 302:
        raise RuntimeError(f"login answered {r.status_code}")
    page = s.get(f"{base}/ops/", timeout=30)
    if page.status_code != 200 or f"{ROWS} submissions" not in page.text.replace(",", ""):
        raise RuntimeError(f"the dashboard did not list {ROWS} submissions: {page.status_code}")
    for _ in range(10):  # warm up both workers
        s.get(f"{base}/ops/", timeout=30).raise_for_status()
    return f"sessionid={s.cookies['sessionid']}"


# --- the burst ------------------------------------------------------------------------------


def sandbox_client(sandbox_url: str):
    from drsui.drs.client import DrsClient
    from drsui.drs.credentials import PasswordCredentials

    return DrsClient(
        drs_endpoint=sandbox_url,
        iam_endpoint=sandbox_url,
        project_id=PROJECT_ID,
        credentials=PasswordCredentials(user="sandbox", password="sandbox", domain="sandbox"),
    )


def direct_burst(sandbox_url: str, prefix: str, threads: int) -> float:
    """BURST create_job calls straight to the sandbox; returns the wall time."""
    from tests.contract.bodies import oracle_body

    def body(i):
        b = oracle_body()
        b["job"]["base_info"]["name"] = f"{prefix}-{i:04d}"
        return b

    clients = [sandbox_client(sandbox_url) for _ in range(threads)]
    for client in clients:
        client._token()  # the IAM token is not what is measured
    bodies = [body(i) for i in range(BURST)]
    t0 = time.perf_counter()
    if threads == 1:
        for b in bodies:
            clients[0].create_job(b)
    else:
        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda ib: clients[ib[0] % threads].create_job(ib[1]), enumerate(bodies)))
    return time.perf_counter() - t0


def queue_burst(draft_ids: list[int], *, wait_pool: bool) -> dict:
    """submission_create for each draft, then wait until every one is created at DRS."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from drsui.jobs import backends
    from drsui.jobs.models import Submission
    from drsui.jobs.services import submission_create
    from drsui.wizard.models import Draft

    drafts = list(Draft.objects.select_related("project").filter(pk__in=draft_ids))
    user = get_user_model().objects.get(username="user00")
    t0 = time.perf_counter()
    for draft in drafts:
        submission_create(draft=draft, user=user)
    accepted = time.perf_counter() - t0
    deadline = time.monotonic() + 300
    if wait_pool:
        backends.wait_idle(timeout=300)
    while time.monotonic() < deadline:
        pending = Submission.objects.filter(
            draft_id__in=draft_ids, state__in=["queued", "sending"]
        ).count()
        if not pending:
            break
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    states = dict(
        Submission.objects.filter(draft_id__in=draft_ids)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return {"wall": wall, "accepted": accepted, "states": states}


# --- main -----------------------------------------------------------------------------------


def main() -> int:
    for tool in (WRK, GUNICORN):
        if not os.access(tool, os.X_OK):
            log(f"{tool} is missing")
            return 2
    tmp = Path(tempfile.mkdtemp(prefix="drsui-bench-ops-"))
    (tmp / "bench_ops_settings.py").write_text(BENCH_SETTINGS)
    env = {
        **os.environ,
        "DRSUI_SQLITE_PATH": str(tmp / "portal.sqlite3"),
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "drsui.settings",
        "DRSUI_LOG_LEVEL": "WARNING",
        "DRSUI_SUBMITS_PER_MINUTE": "1000000",  # bursts of 200 submissions by one person
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp)]),
    }
    os.environ.update(env)
    procs = []
    try:
        sandbox_port = free_port()
        sandbox_env = {**env, "DRSUI_SQLITE_PATH": str(tmp / "sandbox.sqlite3")}
        sandbox = start(
            [PY, "manage.py", "drs_sandbox", "--port", str(sandbox_port), "--migrate"],
            env=sandbox_env,
            log_path=tmp / "sandbox.log",
        )
        procs.append(sandbox)
        wait_listening(sandbox_port, sandbox, "the sandbox")
        sandbox_url = f"http://{HOST}:{sandbox_port}"
        log(f"sandbox on {sandbox_url}")

        setup_django()
        seeded = seed(sandbox_url)

        port = free_port()
        gunicorn = start(
            [
                GUNICORN,
                "drsui.wsgi",
                "-w",
                str(WORKERS),
                "-b",
                f"{HOST}:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            log_path=tmp / "gunicorn.log",
        )
        procs.append(gunicorn)
        wait_listening(port, gunicorn, "gunicorn")
        base = f"http://{HOST}:{port}"
        cookie = login(base)
        lists = [
            ("/ops/ (the list, newest first)", "/ops/", False, True),
            (
                "/ops/ filtered: status, engine, sorted by name",
                "/ops/?status=CONFIGURATION&engine=oracle-to-gaussdbv5&sort=name",
                False,
                False,
            ),
            ("/ops/ page 150 of 200", "/ops/?page=150", False, False),
            ("/ops/ search by name", "/ops/?q=bench-0421", False, False),
            ("/ops/ htmx poll of the table", "/ops/?sort=-created", True, False),
        ]
        results = []
        for title, path, htmx, target in lists:
            log(f"wrk {path}{' (htmx)' if htmx else ''}")
            r = run_wrk(base + path, cookie, htmx=htmx)
            r.update(title=title, target=target)
            results.append(r)
        stop(gunicorn, "gunicorn")

        log(f"burst: {BURST} direct create_job calls, one after another")
        direct_1 = direct_burst(sandbox_url, "direct-seq", 1)
        log(f"burst: {BURST} direct create_job calls from {QUEUE_THREADS} threads")
        direct_4 = direct_burst(sandbox_url, "direct-par", QUEUE_THREADS)

        log(f"burst: {BURST} submissions through the embedded queue (ThreadPoolBackend)")
        ids = make_drafts("burst-threads", BURST, seeded["project_pk"])
        threads = queue_burst(ids, wait_pool=True)

        log(f"burst: {BURST} submissions through django-tasks-db + {QUEUE_THREADS} db_workers")
        ids = make_drafts("burst-db", BURST, seeded["project_pk"])
        db_env = {**env, "DJANGO_SETTINGS_MODULE": "bench_ops_settings"}
        for i in range(QUEUE_THREADS):
            worker = start(
                [
                    PY,
                    "manage.py",
                    "db_worker",
                    "--interval",
                    "0.05",
                    "--no-startup-delay",
                    "--no-reload",
                    "-v",
                    "0",
                ],
                env=db_env,
                log_path=tmp / f"db_worker-{i}.log",
            )
            procs.append(worker)
        time.sleep(2)  # the workers are up and polling
        from django.test.utils import override_settings

        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            database = queue_burst(ids, wait_pool=False)

        report = render(seeded, results, direct_1, direct_4, threads, database)
        print(report)
        out = ROOT / "bench-results"
        out.mkdir(exist_ok=True)
        (out / "ops.md").write_text(report)
        log(f"report written to {out / 'ops.md'}")
        return 0
    finally:
        for proc in reversed(procs):
            stop(proc, " ".join(str(a) for a in proc.args[1:3]))
        shutil.rmtree(tmp, ignore_errors=True)


def render(seeded, results, direct_1, direct_4, threads, database) -> str:
    lines = [
        "# drsui ops bench",
        "",
        f"{seeded['count']} submissions in SQLite; gunicorn -w {WORKERS} (sync) on loopback; "
        f"wrk -t2 -c8 -d{DURATION}s --latency with an ops session cookie.",
        "",
        "| URL | req/s | p50 ms | p90 ms | p99 ms | non-2xx | target p99 < 100 ms |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        verdict = ("met" if r["p99"] < MAX_P99_MS else "MISSED") if r["target"] else "—"
        lines.append(
            f"| {r['title']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p90']:.1f} | "
            f"{r['p99']:.1f} | {r['bad']} | {verdict} |"
        )
    rate_1, rate_4 = BURST / direct_1, BURST / direct_4
    lines += [
        "",
        f"## A burst of {BURST} submissions (standalone sandbox on loopback)",
        "",
        "| path | wall s | submissions/s | vs direct, 1 thread | vs direct, 4 threads | outcome |",
        "|---|---:|---:|---:|---:|---|",
        f"| direct `DrsClient.create_job`, one after another | {direct_1:.2f} | {rate_1:.1f} | "
        "1.00 | — | — |",
        f"| direct `DrsClient.create_job`, {QUEUE_THREADS} threads | {direct_4:.2f} | "
        f"{rate_4:.1f} | {rate_4 / rate_1:.2f} | 1.00 | — |",
    ]
    from drsui.jobs.backends import MAX_WORKERS

    for title, q in (
        (f"queue: embedded ThreadPoolBackend ({MAX_WORKERS} threads)", threads),
        (f"queue: django-tasks-db, {QUEUE_THREADS} `db_worker` processes", database),
    ):
        rate = BURST / q["wall"]
        outcome = ", ".join(f"{k} {v}" for k, v in sorted(q["states"].items()))
        lines.append(
            f"| {title} | {q['wall']:.2f} | {rate:.1f} | {rate / rate_1:.2f} | "
            f"{rate / rate_4:.2f} | {outcome} |"
        )
    lines += [
        "",
        f"Queue bursts are timed from the first `submission_create` to the last submission "
        f"created at DRS. Submitting (validate, record, enqueue) took "
        f"{threads['accepted'] * 1000 / BURST:.1f} ms per submission on the thread queue and "
        f"{database['accepted'] * 1000 / BURST:.1f} ms on the database queue; no request waits "
        "on DRS. The database queue here is SQLite (production: PostgreSQL).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
