"""Refresh DRS job statuses in the background: for production beside `manage.py db_worker`
(or from cron with --once). The embedded default needs none: its pages' polls queue it."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from drsui.jobs.services.refresh import submissions_refresh_due


class Command(BaseCommand):
    help = ("Look at every created job whose status is not final (and every unknown outcome) "
            "when due, backing off while nothing changes. Loops until stopped.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=2.0,
                            help="seconds between passes (default 2)")

    def handle(self, *args, **options):
        while True:
            close_old_connections()
            done = submissions_refresh_due()
            if options["verbosity"] > 1 or (options["once"] and done):
                self.stdout.write(f"looked at {done} submission(s)")
            if options["once"]:
                return
            if not done:
                time.sleep(options["interval"])
