"""Waves bench: validating a 500-row upload, and sending a 200-row wave through the queue.

    .venv/bin/python bench/waves.py                       # SQLite in a temp dir
    BENCH_DATABASE_URL=postgres://... bench/waves.py      # a throwaway PostgreSQL (`make bench`)

What it does, in order:

1. The standalone sandbox (its own SQLite file) on a free loopback port; the portal's database
   emptied and migrated (bench/common.py); a template draft (the oracle body, passwords set)
   and a wave of it with the proposed columns (name, source address, user, password, target).
2. An upload of BENCH_WAVE_UPLOAD (500) rows: the wave's header and rows written as CSV, read
   back with the csv module (no file form, no grid: the services alone), then
   `wave_rows_save` (500 drafts created) and `wave_rows_checked` (the contract's check of every
   row), timed; the same file uploaded again (500 rows updated) and checked, timed. Then both
   once more on a new wave under tracemalloc, for the peak of Python's allocations (tracemalloc
   slows the code it traces, so the times are from the untraced run).
3. A wave of BENCH_WAVE_SEND (200) rows sent through django-tasks-db with 4 `db_worker`
   processes, against the standalone sandbox, measured as bench/ops.py measures its bursts
   (its code: warm on both sides, handed the whole wave in one commit, timed until the last
   row's job is created at DRS), as a ratio to calling the sandbox directly, one call after
   another and from 4 threads.

The report (Markdown) goes to stdout and to bench-results/waves-<database>.md; progress to
stderr. Exit 0 with the figures (a measurement, not a test); non-zero if the bench cannot run.
"""

import csv
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

from common import (
    bench_team,
    database_name,
    load_average,
    logger,
    run_with_sandbox,
    sandbox_project,
    utc_now,
)

UPLOAD = int(os.environ.get("BENCH_WAVE_UPLOAD", "500"))
SEND = int(os.environ.get("BENCH_WAVE_SEND", "200"))
os.environ.setdefault("BENCH_OPS_BURST", str(SEND))  # ops.direct_burst sends as many directly
USER = "wave-owner"

log = logger("bench-waves")


# --- data -----------------------------------------------------------------------------------
def owner_and_template(sandbox_url: str):
    from django.contrib.auth import get_user_model

    from drsui.wizard.services import draft_from_body
    from tests.contract.bodies import oracle_body

    owner = get_user_model().objects.create_user(USER, password="wave-owner-pass-1")
    owner.groups.add(bench_team())
    project = sandbox_project(sandbox_url)
    template = draft_from_body(owner=owner, body=oracle_body(), project=project)
    return owner, template


def new_wave(owner, template, name: str):
    from drsui.waves.services import wave_create

    return wave_create(owner=owner, template=template, name=name)


def upload_csv(wave, prefix: str, n: int) -> str:
    """The file a person would fill: the wave's columns as the header, a row per task."""
    from drsui.contract import rows as wave_rows

    template_row = wave_rows.row_of(wave.template_job, wave.paths)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(wave.paths)
    for i in range(n):
        row = dict(template_row)
        for path in wave.paths:
            if path == wave_rows.NAME_PATH:
                row[path] = f"{prefix}-{i:04d}"
            elif path.endswith(".ip"):
                row[path] = f"10.{i // 62500}.{i // 250 % 250}.{i % 250 + 1}"
            elif wave_rows.is_secret_path(path):
                row[path] = f"bench-pw-{i}"
        writer.writerow([row[path] for path in wave.paths])
    return out.getvalue()


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# --- the upload -----------------------------------------------------------------------------
def upload_once(wave, text: str) -> dict:
    """Read the file, save its rows, check every row: each part's wall time."""
    from drsui.waves.selectors import wave_rows_checked
    from drsui.waves.services import wave_rows_save

    t0 = time.perf_counter()
    rows = rows_of(text)
    t1 = time.perf_counter()
    saved = wave_rows_save(wave=wave, rows=rows)
    t2 = time.perf_counter()
    checked = wave_rows_checked(wave)
    t3 = time.perf_counter()
    return {"read": t1 - t0, "save": t2 - t1, "check": t3 - t2, "total": t3 - t0,
            "created": saved.created, "updated": saved.updated,
            "valid": sum(row.valid for row in checked), "rows": len(checked)}


def measure_upload(owner, template) -> dict:
    wave = new_wave(owner, template, "bench upload")
    text = upload_csv(wave, "upload", UPLOAD)
    log(f"upload: {UPLOAD} rows, new ({len(text) / 1024:.0f} KB of CSV)")
    first = upload_once(wave, text)
    log("upload: the same file again (every row updated)")
    again = upload_once(wave, text)

    log("upload: both again on a new wave, under tracemalloc")
    traced = new_wave(owner, template, "bench upload traced")
    text = upload_csv(traced, "traced", UPLOAD)
    tracemalloc.start()
    upload_once(traced, text)
    first["peak"] = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    upload_once(traced, text)
    again["peak"] = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"first": first, "again": again, "csv_bytes": len(text.encode())}


# --- the send -------------------------------------------------------------------------------
def send_wave(wave, drafts, user):
    """Send the wave as its page's "Send the wave" does (every valid row, one action)."""
    from drsui.jobs.services.waves import wave_send

    wave_send(wave=wave, user=user)


def row_draft_ids(owner, template, name: str, n: int) -> tuple:
    from drsui.waves.services import wave_rows_save

    wave = new_wave(owner, template, name)
    wave_rows_save(wave=wave, rows=rows_of(upload_csv(wave, name, n)))
    return wave, list(wave.rows.order_by("position").values_list("draft_id", flat=True))


def measure_send(tmp: Path, env: dict, sandbox_url: str, owner, template) -> dict:
    from ops import QUEUE_WARM, QUEUE_WORKERS, database_queue, direct_burst, queue_burst

    out = {"load_start": load_average(), "workers": QUEUE_WORKERS, "warm": QUEUE_WARM}
    log(f"send: {SEND} direct create_job calls, one after another")
    out["direct_1"] = direct_burst(sandbox_url, "direct-seq", 1)
    log(f"send: {SEND} direct create_job calls from {QUEUE_WORKERS} threads")
    out["direct_4"] = direct_burst(sandbox_url, "direct-par", QUEUE_WORKERS)

    warm_wave, warm_ids = row_draft_ids(owner, template, "warm-wave", QUEUE_WARM)
    wave, ids = row_draft_ids(owner, template, "send-wave", SEND)
    log(f"send: a wave of {SEND} rows through django-tasks-db + {QUEUE_WORKERS} db_workers")
    with database_queue(tmp, env):
        queue_burst(warm_ids, thread_pool=False, username=USER,
                    submit=lambda drafts, user: send_wave(warm_wave, drafts, user))
        out["database"] = queue_burst(ids, thread_pool=False, username=USER,
                                      submit=lambda drafts, user: send_wave(wave, drafts, user))
    out["load_end"] = load_average()
    return out


# --- the report -----------------------------------------------------------------------------
def render(upload, send, started) -> str:
    first, again = upload["first"], upload["again"]
    rate_1, rate_4 = SEND / send["direct_1"], SEND / send["direct_4"]
    q = send["database"]
    rate = SEND / q["drain"]
    outcome = ", ".join(f"{k} {v}" for k, v in sorted(q["states"].items()))
    lines = [
        f"# drsui waves bench ({database_name()})",
        "",
        f"{started:%Y-%m-%d %H:%M} UTC · {database_name()} · in the bench process (the "
        f"services, no web request) · the machine's {os.cpu_count()} CPUs shared with the "
        "sandbox and the queue workers.",
        "",
        f"## Validating an upload of {UPLOAD} rows ({upload['csv_bytes'] / 1024:.0f} KB of CSV)",
        "",
        "| upload | rows saved | read CSV s | `wave_rows_save` s | `wave_rows_checked` s | "
        "total s | ms per row | valid rows | peak traced MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for title, r, saved in (("new wave (drafts created)", first, "created"),
                            ("the same file again (drafts updated)", again, "updated")):
        lines.append(
            f"| {title} | {r[saved]} {saved} | {r['read']:.3f} | {r['save']:.2f} | "
            f"{r['check']:.2f} | **{r['total']:.2f}** | {r['total'] * 1000 / UPLOAD:.1f} | "
            f"{r['valid']} of {r['rows']} | **{r['peak'] / 2**20:.1f}** |")
    lines += [
        "",
        "Peak traced MB: the peak of Python's allocations (tracemalloc) during that upload, on "
        "a second wave (tracemalloc slows what it traces; the times are from the untraced run).",
        "",
        f"## Sending a wave of {SEND} rows (standalone sandbox on loopback)",
        "",
        "| path | wall s | jobs/s | vs direct, 1 thread | vs direct, "
        f"{send['workers']} threads | outcome |",
        "|---|---:|---:|---:|---:|---|",
        f"| direct `DrsClient.create_job`, one after another | {send['direct_1']:.2f} | "
        f"{rate_1:.1f} | 1.00 | — | — |",
        f"| direct `DrsClient.create_job`, {send['workers']} threads | {send['direct_4']:.2f} | "
        f"{rate_4:.1f} | {rate_4 / rate_1:.2f} | 1.00 | — |",
        f"| the wave: django-tasks-db, {send['workers']} `db_worker` processes | "
        f"{q['drain']:.2f} | {rate:.1f} | **{rate / rate_1:.2f}** | {rate / rate_4:.2f} | "
        f"{outcome} |",
        "",
        f"Load average {send['load_start']} before, {send['load_end']} after. Measured as "
        "bench/ops.py's bursts: the direct client warm (token and connection) before the clock "
        f"starts; the queue first sends a wave of {send['warm']} rows, then is handed the "
        f"{SEND} rows in one commit and timed until the last row's job is created at DRS. "
        f"Submitting the rows (validate, record, enqueue) took {q['accepted'] * 1000 / SEND:.1f} "
        "ms a row before that; counted in, the ratio to direct calls would be "
        f"{SEND / (q['accepted'] + q['drain']) / rate_1:.2f}.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    started = utc_now()

    def work(tmp, env, sandbox_url):
        owner, template = owner_and_template(sandbox_url)
        upload = measure_upload(owner, template)
        send = measure_send(tmp, env, sandbox_url, owner, template)
        return render(upload, send, started)

    return run_with_sandbox("waves", work, log)


if __name__ == "__main__":
    sys.exit(main())
