"""Where an ops dashboard request's CPU goes, in process: each of bench/ops.py's dashboard URLs
through the whole WSGI stack (every middleware, DEBUG=0, the cached template loader), logged in
as bench/ops.py's ops user, on the database it seeds.

    BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/profile_ops.py [N] [--profile] [URL...]

The database of BENCH_DATABASE_URL (SQLite in bench-results/ without it) is emptied, migrated
and seeded with BENCH_OPS_ROWS submissions as bench/ops.py does, unless it already holds them
(so one seeding serves many runs). For each URL: N requests (default 150) after 10 warm-up
ones, their median CPU (time.process_time, the bench process's: the portal's share; the
database's own work is in the wall time) and wall time, and the queries of one request. With
--profile, cProfile's top functions (CPU time) for each URL. URLs given: only
those of bench/ops.py's list.
"""

import cProfile
import functools
import io
import os
import pstats
import statistics
import sys
import time

import ops  # bench/ops.py: the same data and URLs as the bench
from common import DATABASE_URL, ROOT, portal_env, setup_django


def seeded() -> bool:
    """Django set up on the bench database; True when it already holds ops.ROWS submissions."""
    import django

    env = portal_env(ROOT / "bench-results")
    (ROOT / "bench-results").mkdir(exist_ok=True)
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection

    from drsui.jobs.models import Submission

    try:
        return Submission.objects.count() == ops.ROWS
    except Exception:  # not migrated yet
        connection.close()
        return False


def wsgi_get(app, path: str, cookie: str, htmx: bool) -> int:
    """One GET through the WSGI handler, as gunicorn calls it; the response's status."""
    from django.test.client import RequestFactory

    path, _, query = path.partition("?")
    extra = {"HTTP_COOKIE": cookie, "HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT_LANGUAGE": "en"}
    if htmx:
        extra["HTTP_HX_REQUEST"] = "true"
    environ = RequestFactory()._base_environ(PATH_INFO=path, QUERY_STRING=query,
                                              REQUEST_METHOD="GET", **extra)
    status = []
    response = app(environ, lambda s, headers: status.append(s))
    for _chunk in response:
        pass
    response.close()
    return int(status[0].split()[0])


def timed(queries, execute, sql, params, many, context):
    """An execute wrapper: each query's wall time and SQL into `queries`."""
    t0 = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        queries.append((time.perf_counter() - t0, sql))


def main() -> int:
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), "150"))
    profile = "--profile" in sys.argv
    if not seeded():
        print(f"seeding {ops.ROWS} submissions", file=sys.stderr, flush=True)
        setup_django(os.environ.copy())
        ops.seed("http://127.0.0.1:9")
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test import Client

    assert not settings.DEBUG
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=ops.OPS_USER),
                       backend="django.contrib.auth.backends.ModelBackend")
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    app = get_wsgi_application()
    print(f"# ops dashboard in process ({'PostgreSQL' if DATABASE_URL else 'SQLite'}, "
          f"{ops.ROWS:,} submissions, {n} requests a URL)\n")
    print("| URL | CPU ms median | p90 | wall ms median | queries | their ms |")
    print("|---|---:|---:|---:|---:|---:|")
    profiles = []
    only = [a for a in sys.argv[1:] if a.startswith("/")]
    for _title, path, htmx, _target in ops.DASHBOARD:
        if only and path not in only:
            continue
        for _ in range(10):
            assert wsgi_get(app, path, cookie, htmx) == 200, path
        queries = []
        with connection.execute_wrapper(functools.partial(timed, queries)):
            wsgi_get(app, path, cookie, htmx)
        cpu, wall = [], []
        for _ in range(n):
            c0, w0 = time.process_time(), time.perf_counter()
            wsgi_get(app, path, cookie, htmx)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        cpu.sort()
        label = path + (" (htmx)" if htmx else "")
        print(f"| {label} | {statistics.median(cpu) * 1000:.2f} | "
              f"{cpu[int(len(cpu) * 0.9)] * 1000:.2f} | {statistics.median(wall) * 1000:.2f} | "
              f"{len(queries)} | {sum(q[0] for q in queries) * 1000:.1f} |")
        if profile:
            prof = cProfile.Profile(time.process_time)  # CPU, not waiting on the database
            prof.enable()
            for _ in range(n):
                wsgi_get(app, path, cookie, htmx)
            prof.disable()
            out = io.StringIO()
            stats = pstats.Stats(prof, stream=out)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(25)
            profiles.append((label, out.getvalue(), queries))
    for label, text, sql in profiles:
        print(f"\n## {label}\n")
        for seconds, q in sql:
            print(f"    {seconds * 1000:6.2f} ms  {q[:400]}")
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
