"""Ops bench: the dashboard with BENCH_OPS_ROWS submissions, and a burst through the queues.

    .venv/bin/python bench/ops.py                       # SQLite in a temp dir
    BENCH_DATABASE_URL=postgres://... bench/ops.py      # a throwaway PostgreSQL (`make bench`)

What it does, in order:

1. The standalone sandbox (its own SQLite file) on a free loopback port; the portal's database
   emptied and migrated (bench/common.py).
2. Seeds BENCH_OPS_ROWS (100,000) submissions with their drafts and bodies: 20 users, 2
   projects, every portal state and a spread of DRS statuses and engines over 30 days, plus an
   ops user; then VACUUM ANALYZE on PostgreSQL (what autovacuum does to a database in use).
3. `gunicorn drsui.wsgi -w 2` (sync workers), one login, then wrk -t2 -c8 --latency with that
   session against the dashboard (/ops/), its search, and for information a filtered and sorted
   list, a deep page and the htmx poll of the table. Target: p99 under 100 ms for the list and
   the search.
4. A burst of BENCH_OPS_BURST (200) submissions, against the standalone sandbox:
   - direct: `DrsClient.create_job` (as the product builds it), one after another and from
     4 threads;
   - the embedded queue: `submission_create` for each draft, sent by ThreadPoolBackend's threads
     in this process;
   - the database queue: django-tasks-db with 4 `manage.py db_worker` processes.
   Both sides are measured warm: the direct client holds its IAM token before the clock starts;
   the queues first send QUEUE_WARM submissions (workers started, connected, holding a token),
   then are handed the burst in one commit and timed until the last submission is created at
   DRS (submitting itself is a web request, measured by bench/wizard.py).

The report (Markdown) goes to stdout and to bench-results/ops-<database>.md; progress to stderr.
Exit 0 when a target is missed (a measurement, not a test); non-zero if the bench cannot run.

Environment: BENCH_DURATION (seconds per wrk run, default 10), BENCH_OPS_ROWS (default
100000), BENCH_OPS_BURST (default 200).
"""

import concurrent.futures
import contextlib
import os
import random
import sys
import time
from pathlib import Path

from common import (
    CONCURRENCY,
    DURATION,
    PY,
    ROOT,
    WORKERS,
    analyze,
    bench_team,
    children_of,
    cpu_snapshot,
    database_name,
    load_average,
    logger,
    login,
    lua_script,
    run_with_sandbox,
    run_wrk,
    sandbox_project,
    start,
    start_gunicorn,
    stop,
    utc_now,
    valid_draft,
)

ROWS = int(os.environ.get("BENCH_OPS_ROWS", "100000"))
BURST = int(os.environ.get("BENCH_OPS_BURST", "200"))
QUEUE_WORKERS = 4
QUEUE_WARM = 2 * QUEUE_WORKERS
MAX_P99_MS = 100.0
OPS_USER, OPS_PASSWORD = "bench-ops", "bench-ops-pass-1"
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SETTINGS_MODULE = "bench_ops_settings"

log = logger("bench-ops")


# --- data -----------------------------------------------------------------------------------
def seed(sandbox_url: str) -> dict:
    """The ops user, projects, users and ROWS submissions (bulk)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from drsui import contract as c
    from drsui.jobs.models import Submission
    from drsui.wizard.models import CloudProject
    from tests.contract.bodies import mysql_sync_body, oracle_body

    users = get_user_model()
    ops = users.objects.create_user(OPS_USER, password=OPS_PASSWORD)
    ops.groups.add(Group.objects.get_or_create(name="ops")[0])
    sandbox = sandbox_project(sandbox_url)
    other = CloudProject.objects.create(
        name="Bench other", region="eu-west-101", project_id="f" * 32,
        drs_endpoint="http://127.0.0.1:9", iam_endpoint="http://127.0.0.1:9")
    people = [users(username=f"user{i:02d}", password="!") for i in range(20)]
    users.objects.bulk_create(people)
    people = list(users.objects.filter(username__startswith="user"))
    bench_team().user_set.add(*people)  # the sandbox project is granted to them (#15)

    bodies = {"oracle-to-gaussdbv5": c.mask_secrets(oracle_body()),
              "mysql-to-mysql": c.mask_secrets(mysql_sync_body())}
    t0 = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":  # one flush at the end, not one per batch
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        seed_rows(people, (sandbox, other), bodies)
    analyze()
    count = Submission.objects.count()
    log(f"seeded {count} submissions in {time.perf_counter() - t0:.1f} s")
    return {"count": count, "project_pk": sandbox.pk}


def seed_rows(people, projects, bodies):
    from django.db import connection

    from drsui.jobs.models import Submission, SubmissionBody
    from drsui.wizard.models import Draft

    drs_statuses = ["CONFIGURATION", "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE",
                    "RELEASE_RESOURCE_COMPLETE", "CREATING", "START_JOB_FAILED"]
    sandbox, other = projects
    batch = 2000
    for first in range(0, ROWS, batch):
        engines = ["oracle-to-gaussdbv5" if k % 4 else "mysql-to-mysql"
                   for k in range(first, min(first + batch, ROWS))]
        drafts = Draft.objects.bulk_create(
            Draft(owner=people[k % len(people)], project=sandbox if k % 3 else other,
                  name=f"bench-{k:06d}", furthest_step="review", body=bodies[engine])
            for k, engine in enumerate(engines, start=first))
        rows = []
        for k, (draft, engine) in enumerate(zip(drafts, engines, strict=True), start=first):
            fields = {"state": "created", "drs_status": drs_statuses[k % len(drs_statuses)],
                      "drs_job_id": drs_job_id(k)}
            if k % 20 in (1, 2, 3):
                fields = {"state": "failed", "active": False, "error_code": "DRS.10000001",
                          "error_msg": "source_endpoint.0.endpoint.ip: not reachable"}
            elif k % 20 == 4:
                fields = {"state": "unknown", "error_code": "UNKNOWN"}
            rows.append(Submission(draft=draft, user_id=draft.owner_id,
                                   project_id=draft.project_id, name=draft.name,
                                   engine_type=engine, next_refresh_at=None, **fields))
        rows = Submission.objects.bulk_create(rows)
        SubmissionBody.objects.bulk_create(
            SubmissionBody(submission=row, body=bodies[row.engine_type]) for row in rows)
    spread = {  # over 30 days (auto_now_add set every one to now)
        "postgresql": "UPDATE jobs_submission SET created_at = now() - (id % 720) * interval '1h'",
        "sqlite": "UPDATE jobs_submission "
                  "SET created_at = datetime('now', '-' || (id % 720) || ' hours')",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(spread)


def drs_job_id(k: int) -> str:
    """Shaped like DRS's ids (random, e.g. c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r), starting with
    k scrambled (k times an odd number, modulo 2**32: one id per k) so a search finds known
    rows. Not one tail for all, nor k zero-padded (0000…): every trigram the ids share is in
    every row, which DRS's ids never are, and the search's index would read them all."""
    rng = random.Random(k)
    return (f"{k * 0x9E3779B1 % 2**32:08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-"
            f"{rng.getrandbits(16):04x}-{rng.getrandbits(28):07x}jb20{rng.choice('abcdefgh')}")


def make_drafts(prefix: str, n: int, project_pk: int) -> list[int]:
    from django.contrib.auth import get_user_model

    from drsui.wizard.models import CloudProject, Draft

    owner = get_user_model().objects.get(username="user00")
    project = CloudProject.objects.get(pk=project_pk)
    Draft.objects.bulk_create(
        valid_draft(owner=owner, project=project, name=f"{prefix}-{i:04d}") for i in range(n))
    return list(Draft.objects.filter(name__startswith=f"{prefix}-").order_by("pk")
                .values_list("pk", flat=True))


# --- the dashboard --------------------------------------------------------------------------
DASHBOARD = [  # title, path, htmx, target
    ("/ops/ (the list, newest first)", "/ops/", False, True),
    ("/ops/ search by name", "/ops/?q=bench-04217", False, True),
    ("/ops/ search by DRS job id", f"/ops/?q={drs_job_id(0x12AB)[:7]}", False, True),
    ("/ops/ filtered: status, engine, sorted by name",
     "/ops/?status=CONFIGURATION&engine=oracle-to-gaussdbv5&sort=name", False, False),
    ("/ops/ page 1,000 of 2,000", "/ops/?page=1000", False, False),
    ("/ops/ htmx poll of the table", "/ops/?sort=-created", True, False),
]


def measure_dashboard(tmp: Path, env: dict) -> list[dict]:
    gunicorn, base = start_gunicorn(tmp, env)
    try:
        http = login(base, OPS_USER, OPS_PASSWORD)
        page = http.get(f"{base}/ops/", timeout=30)
        if page.status_code != 200 or f"{ROWS} submissions" not in page.text.replace(",", ""):
            raise RuntimeError(f"the dashboard did not list {ROWS} submissions")
        cookie = f"sessionid={http.cookies['sessionid']}"
        master = gunicorn.pid

        def probe():
            return cpu_snapshot(children_of(master), [master, os.getpid()])

        results = []
        for title, path, htmx, target in DASHBOARD:
            for _ in range(10):  # both workers warm
                http.get(base + path, timeout=30,
                         headers={"HX-Request": "true"} if htmx else {}).raise_for_status()
            log(f"wrk {path}{' (htmx)' if htmx else ''}")
            script = lua_script(cookie=cookie, csrf="", htmx=htmx)
            r = run_wrk(base + path, script, tmp, probe=probe)
            r.update(title=title, target=target, load=load_average())
            results.append(r)
        return results
    finally:
        stop(gunicorn, "gunicorn")


# --- the burst ------------------------------------------------------------------------------
def direct_burst(sandbox_url: str, prefix: str, threads: int) -> float:
    """BURST create_job calls straight to the sandbox, each thread with a client as the product
    builds it (kept HTTP session, IAM token fetched before the clock starts); the wall time."""
    from drsui.jobs.services.clients import drs_client_for
    from drsui.wizard.models import CloudProject
    from tests.contract.bodies import oracle_body

    project = CloudProject.objects.get(drs_endpoint=sandbox_url)
    bodies = []
    for i in range(BURST):
        body = oracle_body()
        body["job"]["base_info"]["name"] = f"{prefix}-{i:04d}"
        bodies.append(body)
    local = __import__("threading").local()

    def client():
        if not hasattr(local, "client"):
            local.client = drs_client_for(project)
            local.client._token()
        return local.client

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda _: client(), range(threads * 4)))  # each thread's client, warm
        t0 = time.perf_counter()
        list(pool.map(lambda body: client().create_job(body), bodies))
        return time.perf_counter() - t0


def submit_each(drafts, user):
    from drsui.jobs.services.submit import submission_create

    for draft in drafts:
        submission_create(draft=draft, user=user)


def queue_burst(draft_ids: list[int], *, thread_pool: bool, username: str = "user00",
                submit=submit_each) -> dict:
    """submit(drafts, user) (by default submission_create for each draft), all in one
    transaction, so that the queue is handed the whole burst at once (at the commit); then
    wait until none is queued or sending. "drain" is from that commit to the last submission
    created at DRS: the queue's own throughput. "accepted" is the submitting before it
    (validate, record, enqueue), which the web workers pay, one request each."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count

    from drsui.jobs import backends
    from drsui.jobs.models import Submission
    from drsui.wizard.models import Draft

    drafts = list(Draft.objects.select_related("project").filter(pk__in=draft_ids)
                  .order_by("pk"))
    user = get_user_model().objects.get(username=username)
    pending = Submission.objects.filter(draft_id__in=draft_ids, state__in=["queued", "sending"])
    t0 = time.perf_counter()
    with transaction.atomic():
        submit(drafts, user)
        t1 = time.perf_counter()
    if thread_pool:
        backends.wait_idle(timeout=300)
    deadline = time.monotonic() + 300
    while pending.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    t2 = time.perf_counter()
    states = dict(Submission.objects.filter(draft_id__in=draft_ids).values_list("state")
                  .annotate(n=Count("pk")).values_list("state", "n"))
    return {"drain": t2 - t1, "accepted": t1 - t0, "states": states}


def measure_bursts(tmp: Path, env: dict, sandbox_url: str, project_pk: int) -> dict:
    out = {"load_start": load_average()}
    log(f"burst: {BURST} direct create_job calls, one after another")
    out["direct_1"] = direct_burst(sandbox_url, "direct-seq", 1)
    log(f"burst: {BURST} direct create_job calls from {QUEUE_WORKERS} threads")
    out["direct_4"] = direct_burst(sandbox_url, "direct-par", QUEUE_WORKERS)

    log(f"burst: {BURST} submissions through the embedded queue (ThreadPoolBackend)")
    queue_burst(make_drafts("warm-threads", QUEUE_WARM, project_pk), thread_pool=True)
    out["threads"] = queue_burst(make_drafts("burst-threads", BURST, project_pk),
                                 thread_pool=True)

    log(f"burst: {BURST} submissions through django-tasks-db + {QUEUE_WORKERS} db_workers")
    with database_queue(tmp, env):
        queue_burst(make_drafts("warm-db", QUEUE_WARM, project_pk), thread_pool=False)
        out["database"] = queue_burst(make_drafts("burst-db", BURST, project_pk),
                                      thread_pool=False)
    out["load_end"] = load_average()
    return out


@contextlib.contextmanager
def database_queue(tmp: Path, env: dict):
    """django-tasks-db as this process's queue, with QUEUE_WORKERS `db_worker` processes."""
    from django.test.utils import override_settings

    (tmp / f"{SETTINGS_MODULE}.py").write_text(
        f"from drsui.settings import *  # noqa: F403\n\nTASKS = {DB_QUEUE!r}\n")
    db_env = {**env, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
              "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp)])}
    workers = [
        start([PY, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay",
               "--no-reload", "-v", "0"], env=db_env, log_path=tmp / f"db_worker-{i}.log")
        for i in range(QUEUE_WORKERS)]
    try:
        with override_settings(TASKS=DB_QUEUE):
            yield
    finally:
        for i, worker in enumerate(workers):
            stop(worker, f"db_worker {i}")


# --- the report -----------------------------------------------------------------------------
def render(seeded, results, bursts, started) -> str:
    from drsui.jobs.backends import MAX_WORKERS

    lines = [
        f"# drsui ops bench ({database_name()})",
        "",
        f"{started:%Y-%m-%d %H:%M} UTC · {seeded['count']:,} submissions in {database_name()} · "
        f"gunicorn -w {WORKERS} (sync) on loopback · wrk -t2 -c{CONCURRENCY} -d{DURATION}s "
        "--latency with an ops session · the load generator, the portal and the database share "
        f"the machine's {os.cpu_count()} CPUs.",
        "",
        "| URL | req/s | p50 ms | p99 ms | non-2xx | worker CPU ms/req | other load % "
        "| load avg | p99 < 100 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        bad = sum(v for k, v in r["statuses"].items() if k != 200) + r["socket_errors"]
        verdict = ("met" if r["p99"] < MAX_P99_MS else "**MISSED**") if r["target"] else "—"
        lines.append(
            f"| {r['title']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {bad} | "
            f"{r['cpu_ms_per_req']:.2f} | {r['other_cpu_pct']:.0f} | {r['load']} | {verdict} |")
    rate_1, rate_4 = BURST / bursts["direct_1"], BURST / bursts["direct_4"]
    lines += [
        "",
        "'other load %' is the share of the CPUs busy with processes not this bench's during "
        "the run; above a few % the row's figures are disturbed.",
        "",
        f"## A burst of {BURST} submissions (standalone sandbox on loopback)",
        "",
        "| path | wall s | submissions/s | vs direct, 1 thread | vs direct, "
        f"{QUEUE_WORKERS} threads | outcome |",
        "|---|---:|---:|---:|---:|---|",
        f"| direct `DrsClient.create_job`, one after another | {bursts['direct_1']:.2f} | "
        f"{rate_1:.1f} | 1.00 | — | — |",
        f"| direct `DrsClient.create_job`, {QUEUE_WORKERS} threads | {bursts['direct_4']:.2f} | "
        f"{rate_4:.1f} | {rate_4 / rate_1:.2f} | 1.00 | — |",
    ]
    for title, q in (
        (f"queue: embedded ThreadPoolBackend ({MAX_WORKERS} threads)", bursts["threads"]),
        (f"queue: django-tasks-db, {QUEUE_WORKERS} `db_worker` processes", bursts["database"]),
    ):
        rate = BURST / q["drain"]
        outcome = ", ".join(f"{k} {v}" for k, v in sorted(q["states"].items()))
        lines.append(f"| {title} | {q['drain']:.2f} | {rate:.1f} | **{rate / rate_1:.2f}** | "
                     f"{rate / rate_4:.2f} | {outcome} |")
    lines += [
        "",
        f"Load average {bursts['load_start']} before the bursts, {bursts['load_end']} after. "
        "Both sides are measured warm and from the moment the work is there: the direct client "
        "holds its IAM token and kept connection before the clock starts; each queue first "
        f"sends {QUEUE_WARM} submissions (workers started, connected, holding a token), then "
        f"is handed the {BURST} submissions in one commit and timed until the last is created "
        "at DRS (wall s above). What the queue adds per job is all inside that time: the "
        "claim, reading the submission and decrypting its secrets, the attempt and outcome "
        "rows, the task's result. Submitting is not: each submit is a web request and is "
        "measured as one by `bench/wizard.py`. Here, submitting the burst (validate, record, "
        "enqueue, one after another in this process) took "
        f"{bursts['threads']['accepted'] * 1000 / BURST:.1f} ms per submission for the thread "
        f"queue and {bursts['database']['accepted'] * 1000 / BURST:.1f} ms for the database "
        "queue; counted in, the end-to-end ratios to direct calls would be "
        + " and ".join(
            f"{BURST / (q['accepted'] + q['drain']) / rate_1:.2f}"
            for q in (bursts["threads"], bursts["database"])) + ".",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    started = utc_now()

    def work(tmp, env, sandbox_url):
        log(f"seeding {ROWS} submissions")
        seeded = seed(sandbox_url)
        results = measure_dashboard(tmp, env)
        bursts = measure_bursts(tmp, env, sandbox_url, seeded["project_pk"])
        return render(seeded, results, bursts, started)

    return run_with_sandbox("ops", work, log)


if __name__ == "__main__":
    sys.exit(main())
