"""Post the notifications' webhooks that are due (retries after a failed post): for production
beside `manage.py db_worker` (the Procfile's `notify` process), or from cron with --once. The
embedded default runs the same loop on a thread of the web process (drsui.notify.embedded)."""

import threading

from django.core.management.base import BaseCommand

from drsui.notify.services import LOOP_IDLE_SECONDS, delivery_loop


class Command(BaseCommand):
    help = ("Post every due notification (first posts the queue missed, and retries after a "
            "failed post), each webhook's in order. Loops until stopped.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=LOOP_IDLE_SECONDS,
                            help=f"seconds between passes (default {LOOP_IDLE_SECONDS:g})")

    def handle(self, *args, **options):
        def report(done):
            if options["verbosity"] > 1 or (options["once"] and done):
                self.stdout.write(f"delivered {done} notification(s)")

        delivery_loop(threading.Event(), idle_seconds=options["interval"],
                      once=options["once"], on_pass=report)
