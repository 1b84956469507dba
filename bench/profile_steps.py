"""Where a wizard request's time goes: each step's GET and htmx update POST, and the review
page, run in-process through the full WSGI stack (every middleware, DEBUG=0, SQLite or the
database of BENCH_DATABASE_URL), with the same draft as `make bench`.

    .venv/bin/python bench/profile_steps.py [N]        # N requests per URL (default 150)

For each URL: the median and p90 wall time of N plain requests and the SQL they run; then N
more with timers wrapped around the functions that matter (session, user, the draft's queries,
forms, template, partials, ORM), printed as an inclusive tree (a line includes the indented
lines below it); then cProfile's top own time. Last, N submits one at a time against a
standalone sandbox, with the background DRS send timed apart. Nothing is written outside a temp
dir; the processes it starts are stopped.
"""

import cProfile
import io
import pstats
import statistics
import sys
import time
import urllib.parse

import wizard as run  # bench/wizard.py: the same data as the bench
from common import ROOT, quiet_sandbox


class Timers:
    """Inclusive wall time of named functions, by wrapping them (about 1 µs per call), so the
    split is of unprofiled requests. Recursive calls count once (the outermost)."""

    def __init__(self):
        self.spent: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.order: list[str] = []

    def wrap(self, label, owner, attr):
        import functools

        fn = getattr(owner, attr)  # a name moved away fails here, not silently
        self.order.append(label)
        self.spent[label], self.calls[label] = 0.0, 0
        depth = [0]

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            depth[0] += 1
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                depth[0] -= 1
                if not depth[0]:
                    self.spent[label] += time.perf_counter() - t0
                self.calls[label] += 1

        setattr(owner, attr, timed)

    def reset(self):
        for k in self.spent:
            self.spent[k], self.calls[k] = 0.0, 0


def install_timers() -> Timers:
    from django.contrib.auth import middleware as auth_mw
    from django.contrib.sessions.backends import db as session_db
    from django.db.models.sql import compiler
    from django.template import defaulttags
    from django.template.backends import django as django_backend
    from django.urls import get_resolver

    from drsui import contract, crypto
    from drsui.wizard import forms, views
    from drsui.wizard import services as wizard_services

    t = Timers()

    def patch_view(patterns, name):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                patch_view(p.url_patterns, name)
            elif getattr(p, "name", None) == name:
                t.wrap("view draft_step (with login_required)", p, "callback")

    patch_view(get_resolver().url_patterns, "draft_step")
    patch_view(get_resolver().url_patterns, "draft_submit")  # the review step's address
    t.wrap("  user from the session (auth get_user)", auth_mw, "get_user")
    t.wrap("    session load (SELECT django_session)", session_db.SessionStore, "load")
    t.wrap("  draft_get_for_user (SELECT draft + project)", views, "draft_get_for_user")
    t.wrap("  forms.step_prepare (GET)", forms, "step_prepare")
    t.wrap("  forms.step_apply (POST)", wizard_services, "step_apply")
    t.wrap("  draft_save_step (POST)", wizard_services, "draft_save_step")
    t.wrap("  views._render_step", views, "_render_step")
    t.wrap("    forms.step_render (bound fields)", forms, "step_render")
    t.wrap("    views._stepper (7 reverse())", views, "_stepper")
    t.wrap("    views._json_panel (json.dumps)", views, "_json_panel")
    t.wrap("    views._error_summary", views, "_error_summary")
    t.wrap("  views.draft_review (review)", views, "draft_review")
    t.wrap("    contract validate (c.validate)", contract, "validate")
    t.wrap("    contract warnings (c.warnings)", contract, "warnings")
    t.wrap("    forms.summary (review rows)", forms, "summary")
    t.wrap("  template render (whole page or swap)", django_backend.Template, "render")
    t.wrap("    {% partial %} renders (outermost)", defaulttags.PartialNode, "render")
    try:
        from drsui.jobs.templatetags import drsui_ops

        t.wrap("    base.html `user|is_ops` (SELECT groups)", drsui_ops, "_is_ops")
    except ImportError:
        pass
    t.wrap("session save (UPDATE django_session)", session_db.SessionStore, "save")
    t.wrap("every ORM query (compile + execute)", compiler.SQLCompiler, "execute_sql")
    t.wrap("crypto.decrypt_json (Fernet)", crypto, "decrypt_json")
    return t


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    with quiet_sandbox("drsui-profile-") as (_, sandbox_url):
        run.SUBMITS = n
        ids = run.setup_data(sandbox_url)
        run_profile(ids, n)


def distinct_queries(queries) -> dict:
    out = {}
    for _, sql in queries:
        out[sql[:110]] = out.get(sql[:110], 0) + 1
    return out


def run_profile(ids, n):
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test import Client

    app = get_wsgi_application()
    client = Client()
    client.get("/login/")
    csrf = client.cookies["csrftoken"].value
    r = client.post(
        "/login/", {"username": run.USERNAME, "password": run.PASSWORD, "csrfmiddlewaretoken": csrf}
    )
    assert r.status_code == 302, r.status_code
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"

    def call(method, path, body=b"", htmx=False):
        env = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_COOKIE": cookie,
            "wsgi.errors": sys.stderr,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        if method == "POST":
            env.update(CONTENT_TYPE="application/x-www-form-urlencoded", HTTP_X_CSRFTOKEN=csrf)
        if htmx:
            env["HTTP_HX_REQUEST"] = "true"
        status = []
        chunks = app(env, lambda s, h, exc=None: status.append(s))
        out = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        return status[0], out

    targets = []
    main_id = ids["main"]
    for step in run.STEPS:
        targets.append((f"{step} GET", "GET", f"/drafts/{main_id}/{step}/", b"", False))
    targets.append(("review GET", "GET", f"/drafts/{main_id}/review/", b"", False))
    for step in run.STEPS:
        _, page = call("GET", f"/drafts/{main_id}/{step}/")
        body = run.with_action(run.form_pairs(page.decode()), "update").encode()
        targets.append((f"{step} POST update", "POST", f"/drafts/{main_id}/{step}/", body, True))
    targets.append(("/healthz", "GET", "/healthz", b"", False))

    print(
        f"# drsui request profile · {n} requests per URL · DEBUG={settings.DEBUG} · "
        f"Python {sys.version.split()[0]} · in-process WSGI, no network\n"
    )
    # Pass 1, nothing installed: wall time and SQL of each URL.
    summary, plain = [], {}
    for name, method, path, body, htmx in targets:
        for _ in range(10):
            status, _ = call(method, path, body, htmx)
        assert status.startswith("200"), (name, status)
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            t0 = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((time.perf_counter() - t0, sql))

        times = []
        with connection.execute_wrapper(count):
            for _ in range(n):
                t0 = time.perf_counter()
                call(method, path, body, htmx)
                times.append(time.perf_counter() - t0)
        qn = len(queries) / n
        qms = sum(t for t, _ in queries) * 1000 / n
        med = statistics.median(times) * 1000
        p90 = statistics.quantiles(times, n=10)[8] * 1000
        summary.append((name, med, p90, qn, qms))
        plain[name] = (med, p90, qn, qms, distinct_queries(queries[: round(qn)]))

    # Pass 2, timers on: the split. Pass 3: cProfile's top own time.
    timers = install_timers()
    for name, method, path, body, htmx in targets:
        med, p90, qn, qms, distinct = plain[name]
        timers.reset()
        t0 = time.perf_counter()
        for _ in range(n):
            call(method, path, body, htmx)
        total = (time.perf_counter() - t0) * 1000 / n
        print(f"## {name}  ({method} {urllib.parse.unquote(path)})\n")
        print(
            f"unprofiled: median {med:.2f} ms, p90 {p90:.2f} ms · {qn:.1f} SQL queries/request "
            f"taking {qms:.2f} ms in the database"
        )
        for sql, k in distinct.items():
            print(f"    {k}× {sql}")
        print(f"\nsplit (inclusive wall ms per request, timers on; mean total {total:.2f} ms):")
        for label in timers.order:
            calls = timers.calls[label] / n
            if not calls:
                continue
            ms = timers.spent[label] * 1000 / n
            print(f"    {label:<48} {ms:6.2f} ms {100 * ms / total:5.1f} %  ({calls:g}/request)")

        prof = cProfile.Profile()
        prof.enable()
        for _ in range(n):
            call(method, path, body, htmx)
        prof.disable()
        buf = io.StringIO()
        ps = pstats.Stats(prof, stream=buf)
        ps.sort_stats("tottime").print_stats(12)
        lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
        start = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls"))
        print("\n    top own time under cProfile (tottime, all requests):")
        for ln in lines[start : start + 13]:
            print("    " + ln.replace(str(ROOT) + "/", "").replace(sys.prefix, "<venv>"))
        print()

    # Submits: each draft once, one at a time, the DRS send waited for separately.
    from drsui.jobs import backends
    from drsui.jobs import views as jobs_views
    from drsui.jobs.services import submit

    timers.wrap("    submission_create (validate, INSERTs)", jobs_views, "submission_create")
    timers.wrap("background: submit._send (HTTP to the sandbox)", submit, "_send")
    timers.wrap("background: drs_client_for", submit, "drs_client_for")
    timers.reset()
    post_ms, send_ms = [], []
    for pk in ids["submits"]:
        t0 = time.perf_counter()
        status, _ = call("POST", f"/drafts/{pk}/review/", b"", False)
        t1 = time.perf_counter()
        backends.wait_idle(30)
        t2 = time.perf_counter()
        assert status.startswith("302"), status
        post_ms.append((t1 - t0) * 1000)
        send_ms.append((t2 - t1) * 1000)
    m = len(ids["submits"])
    print(f"## submit  (POST /drafts/<id>/review/, {m} drafts, one at a time)\n")
    print(
        f"review POST: median {statistics.median(post_ms):.2f} ms, p90 "
        f"{statistics.quantiles(post_ms, n=10)[8]:.2f} ms · then the background send: median "
        f"{statistics.median(send_ms):.2f} ms until the task pool was idle\n"
    )
    for label in timers.order:
        calls = timers.calls[label] / m
        if calls:
            print(f"    {label:<48} {timers.spent[label] * 1000 / m:6.2f} ms  ({calls:g}/submit)")
    print()
    summary.append(
        (
            "submit (review POST, serial)",
            statistics.median(post_ms),
            statistics.quantiles(post_ms, n=10)[8],
            float("nan"),
            float("nan"),
        )
    )

    print("## summary (unprofiled)\n")
    print("| URL | median ms | p90 ms | SQL/request | SQL ms |")
    print("|---|---:|---:|---:|---:|")
    for name, med, p90, qn, qms in summary:
        print(f"| {name} | {med:.2f} | {p90:.2f} | {qn:.1f} | {qms:.2f} |")


if __name__ == "__main__":
    main()
