"""Refresh DRS job statuses in the background: for production beside `manage.py db_worker`
(or from cron with --once). The embedded default runs the same loop on a thread of the web
process (drsui.jobs.refresher)."""

import threading

from django.core.management.base import BaseCommand

from drsui.jobs.services.refresh import LOOP_IDLE_SECONDS, refresh_loop


class Command(BaseCommand):
    help = ("Look at every created job whose status is not final (and every unknown outcome) "
            "when due, backing off while nothing changes. Loops until stopped.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=LOOP_IDLE_SECONDS,
                            help=f"seconds between passes (default {LOOP_IDLE_SECONDS:g})")

    def handle(self, *args, **options):
        def report(done):
            if options["verbosity"] > 1 or (options["once"] and done):
                self.stdout.write(f"looked at {done} submission(s)")

        refresh_loop(threading.Event(), idle_seconds=options["interval"],
                     once=options["once"], on_pass=report)
