"""Where a database-queue send's time goes (issue #11): N submissions queued on django-tasks-db,
then `manage.py db_worker --batch` run in this process against the standalone sandbox, as
`bench/ops.py`'s burst runs it in 4 processes.

    .venv/bin/python bench/profile_send.py [N [STATS]]                  # SQLite, a temp dir
    BENCH_DATABASE_URL=postgres://... bench/profile_send.py [N [STATS]] # a throwaway PostgreSQL

(STATS: a file for cProfile's stats, to read with pstats.)

Three passes of N sends each, the worker warm (connected, holding its IAM token):
1. plain: wall time and this process's CPU (time.process_time) per job, and the CPU the
   sandbox and (PostgreSQL) the worker's server process spent meanwhile (/proc, 10 ms ticks);
2. counted: every SQL statement the worker runs (connection.execute_wrapper) and every commit,
   with the wall time spent in them; a job's round trips are its statements plus, for each
   transaction, its BEGIN and COMMIT (psycopg sends each on its own);
3. profiled: cProfile on CPU time (time.process_time: waiting on PostgreSQL or the sandbox
   not counted), the top functions by cumulative and by own time.
The database is emptied first (as the benches do: BENCH_DATABASE_URL, never DATABASE_URL).
"""

import cProfile
import io
import pstats
import sys
import time
from collections import Counter

from common import (
    bench_team,
    proc_cpu,
    quiet_sandbox,
    sandbox_project,
)
from ops import DB_QUEUE, make_drafts

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
STATS_PATH = sys.argv[2] if len(sys.argv) > 2 else ""  # cProfile's stats also written there


def queue_sends(prefix: str, project_pk: int, n: int):
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from drsui.jobs.services.submit import submission_create
    from drsui.wizard.models import Draft

    user = get_user_model().objects.get(username="user00")
    drafts = Draft.objects.select_related("project").filter(
        pk__in=make_drafts(prefix, n, project_pk)).order_by("pk")
    with transaction.atomic():
        for draft in drafts:
            submission_create(draft=draft, user=user)


def run_worker():
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0")


def created(prefix: str) -> Counter:
    from drsui.jobs.models import Submission

    return Counter(Submission.objects.filter(name__startswith=prefix)
                   .values_list("state", flat=True))


class Counted:
    """Statements and commits on the default connection, and the wall time in them."""

    def __init__(self):
        self.statements: Counter = Counter()
        self.seconds = 0.0
        self.commits = 0

    def __call__(self, execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - t0
            self.statements[_shape(sql)] += 1


def _shape(sql: str) -> str:
    sql = " ".join(sql.split())
    for cut in (" WHERE ", " VALUES ", " SET "):
        if cut in sql:
            sql = sql.split(cut)[0] + cut.rstrip()
            break
    return sql[:120]


def main():
    with quiet_sandbox("drsui-profile-send-") as (sandbox, sandbox_url):
        profile(sandbox_url, sandbox.pid)


def profile(sandbox_url: str, sandbox_pid: int):
    from django.contrib.auth import get_user_model
    from django.db import connection, connections
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.test.utils import override_settings

    user = get_user_model().objects.create_user("user00", password="!")
    bench_team().user_set.add(user)
    project = sandbox_project(sandbox_url)
    with override_settings(TASKS=DB_QUEUE):
        queue_sends("warm", project.pk, 8)
        run_worker()
        print(f"# a database-queue send · {N} jobs a pass · {connection.vendor}\n")

        queue_sends("plain", project.pk, N)
        others = {"the sandbox": sandbox_pid}
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                others["the worker's PostgreSQL backend"] = cursor.fetchone()[0]
        before = {what: proc_cpu(pid) for what, pid in others.items()}
        wall, cpu = time.perf_counter(), time.process_time()
        run_worker()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"plain: {wall * 1000 / N:.2f} ms wall, {cpu * 1000 / N:.2f} ms CPU a job in the "
              + "worker, " + ", ".join(f"{(proc_cpu(pid) - before[what]) * 1000 / N:.2f} ms in "
                                       f"{what}" for what, pid in others.items())
              + f"; {dict(created('plain'))}")

        queue_sends("counted", project.pk, N)
        counted = Counted()
        commit = BaseDatabaseWrapper.commit

        def counted_commit(self):
            t0 = time.perf_counter()
            try:
                return commit(self)
            finally:
                counted.seconds += time.perf_counter() - t0
                counted.commits += 1

        wrapper = type(connections["default"])  # connection is a proxy
        is_usable = wrapper.is_usable

        def counted_is_usable(self):  # CONN_HEALTH_CHECKS: SELECT 1 at each turn of the loop
            counted.statements["SELECT 1 (the connection's health check)"] += 1
            return is_usable(self)

        BaseDatabaseWrapper.commit, wrapper.is_usable = counted_commit, counted_is_usable
        try:
            with connection.execute_wrapper(counted):
                wall = time.perf_counter()
                run_worker()
                wall = time.perf_counter() - wall
        finally:
            BaseDatabaseWrapper.commit, wrapper.is_usable = commit, is_usable
        statements = sum(counted.statements.values())
        print(f"counted: {statements / N:.2f} statements + {counted.commits / N:.2f} "
              f"transactions (BEGIN, COMMIT) a job = {(statements + 2 * counted.commits) / N:.2f} "
              f"round trips; {counted.seconds * 1000 / N:.2f} of {wall * 1000 / N:.2f} ms "
              f"wall in them (the BEGINs and health checks not timed); "
              f"{dict(created('counted'))}")
        for sql, n in counted.statements.most_common():
            print(f"  {n / N:5.2f}  {sql}")

        queue_sends("profiled", project.pk, N)
        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
        profiler.enable()
        run_worker()
        profiler.disable()
        if STATS_PATH:
            profiler.dump_stats(STATS_PATH)
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(40)
            print(f"\n## cProfile by {order}\n" + out.getvalue().split("\n\n", 1)[-1])


if __name__ == "__main__":
    main()
