"""`make loadtest`: drsui's production topology under load and faults, on loopback.

Bounded: each phase at most 4 min of log-ins (the first only; people stay logged in), 60 s of
walking, 2 min to finish the tasks in hand, 90 s to settle. ~7 minutes in all on a machine whose
other load kept the load average at 11 (2 CPUs); less on a quiet one.

1. clean   50 people (locust, headless) log in, then walk the wizard step by step, save and
           submit, for LOADTEST_DURATION s (60; a task in hand is finished) against `make serve`'s
           topology: 2 gunicorn workers serving HTTPS, 1 queue worker, the status refresher,
           PostgreSQL.
2. faults  The same while the sandbox answers 20 % of DRS requests with a 500, drops 7 % of the
           connections after doing the work and hangs 6 % past the client's read timeout (every
           DRS request: creates, look-ups by name, status reads). When the load has stopped and
           the queue is drained (at most LOADTEST_SETTLE s, 120), DRS recovers (faults cleared)
           and the refresher gets up to 90 s more to settle what is unknown.
3. kill    Two web servers and two queue workers (two "machines") on the one PostgreSQL; a queue
           worker is killed with SIGKILL while it is sending (twice, once a fifth and three
           fifths of ~2 submissions a person have been made), and started again 3 s later.
           The sandbox takes 300 ms over each create, so that sends are under way.

After each phase, from the database and the sandbox: no answer of 5xx; every draft a person saved
holds what they typed (each value, passwords decrypted); every submission ends created or failed
(nothing queued, sending or unknown), each created one points at the sandbox's one job of its
name; no name has two jobs, and no job exists whose submission says it failed.

The run's own settings (printed with the figures): DRSUI_SUBMITS_PER_MINUTE=600, as 50 people
on one test machine submit more than 10 a minute each in bursts; django-axes as in production (the
lockout counts failures per username and address: the run logs in 50 names with the right
password, and a lock-out would show as a failed login); DRSUI_HTTP_CONNECT_TIMEOUT=2 and
DRSUI_HTTP_READ_TIMEOUT=3 so that a hang is a time-out within the run (production: 5 and 30).

Prints a Markdown summary and writes it to bench-results/loadtest.md; the processes' logs and
locust's CSVs stay in .loadtest/. Exits 1 when a check fails. LOADTEST_PHASES (e.g. "clean")
runs some of the phases only.
"""

import json
import os
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from topology import PY, ROOT, Topology, worker_id  # noqa: E402

FOLDER = ROOT / ".loadtest"
USERS = int(os.environ.get("LOADTEST_USERS", "50"))
DURATION = int(os.environ.get("LOADTEST_DURATION", "60"))
SETTLE = int(os.environ.get("LOADTEST_SETTLE", "120"))
PHASES = os.environ.get("LOADTEST_PHASES", "clean,faults,kill").split(",")
SPAWN_RATE = 5  # people starting per second
STOP_TIMEOUT = 120  # seconds a person may take to finish the task in hand when time is up
LOGIN_ALLOWANCE = 240  # seconds for everyone to log in (the walking starts after)
RUN_SETTINGS = {
    "DRSUI_SUBMITS_PER_MINUTE": "600",
    "DRSUI_HTTP_CONNECT_TIMEOUT": "2",
    "DRSUI_HTTP_READ_TIMEOUT": "3",
    "DRSUI_LOG_LEVEL": "WARNING",
}
# The shares are a fixed pattern in which a request gets the first fault due (500, drop, hang):
# these settings deliver 20 % 500s, 7 % drops and 6 % hangs (same-sized shares would hit the
# same requests, and the later fault would never happen).
FAULTS = {"error_rate": 0.2, "drop_rate": 0.09, "hang_seconds": 5, "hang_rate": 0.085,
          "scope": "all"}
KILL_FAULTS = {"latency_ms": 300, "scope": "create"}  # each send lasts long enough to be hit
PASSWORD = "loadtest-" + secrets.token_hex(8)
STEP_ORDER = ["login GET", "login POST", "drafts GET", "new task POST", "base GET",
              "base POST next", "source GET", "source POST save", "source POST next",
              "target GET", "target POST next", "network GET", "network POST next",
              "billing GET", "billing POST next", "node GET", "node POST next", "review GET",
              "submit POST", "submission GET", "Aggregated"]


def log(message: str):
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- data (this process reads and writes the database through Django) ------------------------


def django_setup(env: dict):
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "drsui.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_people() -> Path:
    """USERS people with one password (hashed once: the hasher is slow on purpose)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    user_model = get_user_model()
    names = [f"loadtest-{n:03d}" for n in range(USERS)]
    user_model.objects.filter(username__in=names).delete()
    hashed = make_password(PASSWORD)
    user_model.objects.bulk_create([user_model(username=name, password=hashed) for name in names])
    loadtest_team().user_set.add(*user_model.objects.filter(username__in=names))
    accounts = FOLDER / "accounts.txt"
    accounts.touch(mode=0o600)  # passwords: its owner's only
    accounts.chmod(0o600)
    accounts.write_text("".join(f"{name} {PASSWORD}\n" for name in names))
    (FOLDER / "sessions.json").unlink(missing_ok=True)
    return accounts


def loadtest_team():
    """The team (group) of the load test's people, which each phase's project is granted to."""
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name="loadtest-team")[0]


def make_project(phase: str, sandbox_url: str):
    """A cloud project per phase (its own DRS project id), pointing at the sandbox, granted to
    the load test's people."""
    from drsui.wizard.models import CloudProject

    project = CloudProject(name=f"Load test {phase}", region="cn-north-4",
                           project_id=secrets.token_hex(16), drs_endpoint=sandbox_url,
                           iam_endpoint=sandbox_url, iam_user="sandbox", iam_domain="sandbox")
    project.set_iam_password("sandbox")
    project.full_clean()
    project.save()
    project.groups.add(loadtest_team())
    return project


def states(project) -> Counter:
    from drsui.jobs.models import Submission

    return Counter(Submission.objects.filter(project=project).values_list("state", flat=True))


def settle(project, seconds: float, pending_states=("queued", "sending", "unknown")
           ) -> tuple[Counter, float]:
    """Wait until no submission of the project is in `pending_states` (at most `seconds`);
    returns the states and the wait."""
    started = time.monotonic()
    while True:
        found = states(project)
        pending = sum(found[s] for s in pending_states)
        if not pending or time.monotonic() - started >= seconds:
            return found, time.monotonic() - started
        time.sleep(1)


def check_drafts(record: dict) -> list[str]:
    """Every draft a person saved holds what they typed: each value, passwords decrypted."""
    from drsui import contract as c
    from drsui.wizard.models import Draft

    problems = []
    drafts = Draft.objects.select_related("owner").in_bulk([int(pk) for pk in record["saved"]])
    for pk, typed in record["saved"].items():
        draft = drafts.get(int(pk))
        if draft is None:
            problems.append(f"draft {pk} is gone")
            continue
        if draft.owner.username != typed["user"]:
            problems.append(f"draft {pk} belongs to {draft.owner.username}, not {typed['user']}")
        stored_secrets = draft.secrets()
        for path, value in typed.items():
            if path in ("user", "project_id"):
                if path == "project_id" and str(draft.project_id) != value:
                    problems.append(f"draft {pk}: project {draft.project_id}, typed {value}")
                continue
            if path.endswith("db_password"):
                if stored_secrets.get(path) != value:
                    problems.append(f"draft {pk}: {path} is not what was typed")
                continue
            stored = c.get_path(draft.job, path)
            if str(stored) != value:
                problems.append(f"draft {pk}: {path} holds {stored!r}, typed {value!r}")
    return problems


def check_submissions(project, record: dict) -> tuple[dict, list[str]]:
    """Definite states, and the portal and the sandbox agree job by job."""
    from django.db.models import Count
    from django.db.models.functions import Lower

    from drsui.jobs.models import Submission
    from drsui.sandbox.models import SandboxJob

    problems = []
    submissions = list(Submission.objects.filter(project=project))
    jobs = SandboxJob.objects.filter(project_id=project.project_id)
    job_by_name = {job.name.lower(): job.job_id for job in jobs}
    duplicates = list(jobs.values(lower=Lower("name")).annotate(n=Count("pk"))
                      .filter(n__gt=1).values_list("lower", "n"))
    problems += [f"{n} DRS jobs named {name}" for name, n in duplicates]
    created_names = set()
    for s in submissions:
        if s.state not in ("created", "failed"):
            problems.append(f"submission {s.pk} ({s.name}) is still {s.state}")
        if s.state == "created":
            created_names.add(s.name.lower())
            if job_by_name.get(s.name.lower()) != s.drs_job_id:
                problems.append(f"submission {s.pk} points at job {s.drs_job_id}, DRS has "
                                f"{job_by_name.get(s.name.lower())}")
    orphans = set(job_by_name) - created_names
    problems += [f"DRS job {name} exists but its submission says it failed" for name in orphans]
    seen = {s.pk for s in submissions}
    lost = [pk for pk in record["submitted"].values() if pk not in seen]
    problems += [f"submission {pk} (the person saw it) is not in the database" for pk in lost]
    failures = Counter(s.error_code for s in submissions if s.state == "failed")
    figures = {"submissions": len(submissions), "jobs at the sandbox": jobs.count(),
               "failed by code": dict(failures),
               "attempts per outcome": attempt_outcomes(project)}
    return figures, problems


def attempt_outcomes(project) -> dict:
    from drsui.jobs.models import Attempt

    return dict(Counter(Attempt.objects.filter(submission__project=project)
                        .values_list("outcome", flat=True)))


# --- load -------------------------------------------------------------------------------------


def run_locust(phase: str, hosts: list[str], project, accounts: Path, env: dict) -> dict:
    prefix = FOLDER / f"locust-{phase}"
    record = FOLDER / f"record-{phase}.json"
    locust_env = {
        **os.environ,
        "LOADTEST_HOSTS": ",".join(hosts),
        "LOADTEST_USERS_FILE": str(accounts),
        "LOADTEST_PROJECT": str(project.pk),
        "LOADTEST_PEOPLE": str(USERS),
        "LOADTEST_SESSIONS": str(FOLDER / "sessions.json"),
        "LOADTEST_DURATION": str(DURATION),
        "LOADTEST_PHASE": phase[0],
        "LOADTEST_RECORD": str(record),
        "LOADTEST_CA": env["DRSUI_TLS_CERT"],
    }
    for name in ("DATABASE_URL", "DJANGO_SECRET_KEY", "DRSUI_SECRET_KEYS"):
        locust_env.pop(name, None)  # the people know their password only
    argv = [PY, "-m", "locust", "-f", str(Path(__file__).parent / "locustfile.py"),
            "--headless", "--users", str(USERS), "--spawn-rate", str(SPAWN_RATE),
            "--run-time", f"{LOGIN_ALLOWANCE + DURATION + STOP_TIMEOUT}s",
            "--stop-timeout", str(STOP_TIMEOUT), "--csv", str(prefix),
            "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    with open(FOLDER / "logs" / f"locust-{phase}.log", "wb") as out:
        subprocess.run(argv, cwd=ROOT, env=locust_env, stdout=out, stderr=subprocess.STDOUT,
                       timeout=LOGIN_ALLOWANCE + DURATION + 2 * STOP_TIMEOUT + 60, check=True)
    return {"record": json.loads(record.read_text()), "stats": read_stats(prefix)}


def read_stats(prefix: Path) -> list[dict]:
    import csv

    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    order = [name for name in STEP_ORDER if name in rows]
    order += sorted(set(rows) - set(order))
    return [rows[name] for name in order]


def faults_put(sandbox_url: str, faults: dict):
    response = requests.put(f"{sandbox_url}/_control/faults", json=faults, timeout=10)
    response.raise_for_status()


def faults_seen(sandbox_url: str) -> dict:
    return requests.get(f"{sandbox_url}/_control/faults", timeout=10).json()


def faults_delivered(faults: dict, requests_seen: int) -> dict:
    """How many of the first `requests_seen` DRS requests got each fault (the shares are a
    fixed pattern: drsui.sandbox.faults)."""
    from drsui.sandbox.faults import _due

    kinds = Counter()
    for n in range(1, requests_seen + 1):
        for kind, rate in (("500", "error_rate"), ("malformed", "malformed_rate"),
                           ("dropped", "drop_rate"), ("hang", "hang_rate")):
            if _due(n, faults.get(rate, 0)):
                kinds[kind] += 1
                break
    return {"DRS requests": requests_seen, **kinds}


class Killer(threading.Thread):
    """Phase 3: once a fifth, then three fifths, of the expected submissions exist, wait until a
    queue worker is running a send, SIGKILL it, and start it again 3 s later."""

    def __init__(self, topology: Topology, project, workers: int):
        super().__init__(daemon=True)
        self.topology, self.project, self.workers = topology, project, workers
        self.kills, self.done = [], threading.Event()

    def run(self):
        from django.db import connection

        from drsui.jobs.models import Submission

        started = time.monotonic()
        for share in (0.2, 0.6):
            while not self.done.is_set():
                submitted = Submission.objects.filter(project=self.project).count()
                sending = self.worker_sending() if submitted >= share * 2 * USERS else None
                if sending:
                    pid = self.topology.kill(f"worker{sending}")
                    self.kills.append(f"worker {sending} (pid {pid}) at "
                                      f"t={time.monotonic() - started:.0f} s, "
                                      f"{submitted} submissions made")
                    log(f"SIGKILL queue worker {sending} (pid {pid}) while it was sending")
                    time.sleep(3)
                    self.topology.start_worker(sending)
                    break
                time.sleep(0.05)
        connection.close()

    def worker_sending(self) -> int | None:
        """A queue worker running a send now (a send task it claimed and has not finished)."""
        from django_tasks_db.models import DBTaskResult

        running = DBTaskResult.objects.filter(status="RUNNING",
                                              task_path__endswith="submission_send")
        claimed_by = {ids[-1] for ids in running.values_list("worker_ids", flat=True) if ids}
        for n in range(1, self.workers + 1):
            if worker_id(n) in claimed_by:
                return n
        return None


def phase_run(phase: str, topology: Topology, accounts: Path, env: dict) -> dict:
    kill = phase == "kill"
    project = make_project(phase, topology.sandbox_url)
    hosts = topology.start_portal(webs=2 if kill else 1, workers=2 if kill else 1)
    faults = FAULTS if phase == "faults" else KILL_FAULTS if kill else {}
    faults_put(topology.sandbox_url, faults)
    killer = Killer(topology, project, workers=2) if kill else None
    log(f"{phase}: {USERS} people for {DURATION} s against {', '.join(hosts)}"
        + (f"; sandbox faults {faults}" if faults else ""))
    load_before = os.getloadavg()
    if killer:
        killer.start()
    result = run_locust(phase, hosts, project, accounts, env)
    load_after = os.getloadavg()
    if killer:
        killer.done.set()
        killer.join()
    at_stop = states(project)
    log(f"{phase}: load over, states {dict(at_stop)}; the queue drains, then DRS recovers and "
        f"the refresher settles (at most {SETTLE} s each)")
    settle(project, SETTLE, pending_states=("queued", "sending"))  # every send meets the faults
    seen = faults_seen(topology.sandbox_url)
    faults_put(topology.sandbox_url, {})  # DRS recovers
    settled, waited = settle(project, SETTLE)
    topology.stop_portal()
    figures, problems = check_submissions(project, result["record"])
    problems = result["record"]["server_errors"] + check_drafts(result["record"]) + problems
    if killer and not killer.kills:
        problems.append("no queue worker was caught sending: nothing was killed")
    if not result["record"]["submitted"]:
        problems.append("nobody got as far as submitting: the run measured nothing")
    return {
        "phase": phase, "hosts": len(hosts), "stats": result["stats"],
        "load": (load_before, load_after), "faults": faults,
        "delivered": faults_delivered(faults, seen["requests_seen"]) if phase == "faults" else {},
        "at_stop": dict(at_stop), "settled": dict(settled), "waited": waited,
        "drafts saved": len(result["record"]["saved"]),
        "submits seen": len(result["record"]["submitted"]),
        "kills": killer.kills if killer else [], "figures": figures, "problems": problems,
        "window": result["record"]["window"],
    }


# --- report -----------------------------------------------------------------------------------


def report(results: list[dict], started: str) -> str:
    lines = [f"# make loadtest, {started} UTC", "",
             f"{USERS} people, {DURATION} s a phase, think time "
             f"{os.environ.get('LOADTEST_THINK', '0.5-1.5')} s before each request; "
             f"{os.cpu_count()} CPUs shared by the load generator, the portal, PostgreSQL and "
             "the sandbox. Run settings: "
             + ", ".join(f"{k}={v}" for k, v in RUN_SETTINGS.items()) + ".", ""]
    for r in results:
        before, after = r["load"]
        lines += [f"## {r['phase']}", "",
                  f"Load average (1, 5, 15 min) before {fmt_load(before)}, at the end "
                  f"{fmt_load(after)}."
                  + (f" Sandbox faults: {r['faults']}." if r["faults"] else "")
                  + (f" Delivered: {r['delivered']}." if r["delivered"] else ""), ""]
        if r["kills"]:
            lines += ["SIGKILL while sending: " + "; ".join(r["kills"]) + ".", ""]
        walk = r["window"]["end"] - r["window"]["start"]
        lines += [f"Walking: {walk:.0f} s from the last log-in to the last submission page; "
                  "req/s over that time (log-ins before it).", "",
                  "| request | count | failures | req/s | p50 ms | p99 ms |",
                  "|---|---:|---:|---:|---:|---:|"]
        for row in r["stats"]:
            login = row["Name"].startswith("login")
            rate = "—" if login or walk <= 0 else f"{int(row['Request Count']) / walk:.1f}"
            name = "all requests (log-ins too)" if row["Name"] == "Aggregated" else row["Name"]
            lines.append(f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
                         f"{rate if row['Name'] != 'Aggregated' else '—'} | {row['50%']} | "
                         f"{row['99%']} |")
        steps = sum(int(row["Request Count"]) for row in r["stats"]
                    if not row["Name"].startswith("login") and row["Name"] != "Aggregated")
        if walk > 0:
            lines.append(f"| wizard requests per second while walking | {steps} | | "
                         f"{steps / walk:.1f} | | |")
        lines += ["", f"Drafts saved {r['drafts saved']}, submits answered {r['submits seen']}; "
                      f"submissions when the load stopped {r['at_stop']}, after "
                      f"{r['waited']:.0f} s {r['settled']}; {r['figures']}.", ""]
        lines += ["**Checks: all passed** (no 5xx, no lost draft, every submission definite, "
                  "no duplicate or orphan DRS job)." if not r["problems"] else
                  f"**Checks: {len(r['problems'])} problem(s)**:"]
        lines += [f"- {p}" for p in r["problems"][:30]] + [""]
    return "\n".join(lines)


def fmt_load(load) -> str:
    return " / ".join(f"{x:.2f}" for x in load)


def main() -> int:
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    FOLDER.mkdir(exist_ok=True)
    topology = Topology(FOLDER, settings=RUN_SETTINGS)
    results = []
    try:
        log("PostgreSQL, keys, certificate, collectstatic, migrate")
        env = topology.prepare()
        django_setup(env)
        accounts = make_people()
        topology.start_sandbox()
        for phase in PHASES:
            results.append(phase_run(phase, topology, accounts, env))
            log(f"{phase}: {len(results[-1]['problems'])} problem(s)")
    finally:
        topology.stop_all()
    text = report(results, started)
    print(text)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "loadtest.md").write_text(text)
    return 1 if any(r["problems"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
