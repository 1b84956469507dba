"""The background loops' shared shape (the status refresh of drsui.jobs, the notification
sweep of drsui.notify): a pass, again and again until stopped, and the management command
that runs one. Neutral ground: it imports neither app."""

import logging
import threading
from collections.abc import Callable

from django.core.management.base import BaseCommand
from django.db import close_old_connections

log = logging.getLogger(__name__)
MAX_FAILURE_WAIT = 60.0


def pass_loop(run_pass: Callable[[], int], stop: threading.Event, *, what: str,
              idle_seconds: float, once: bool = False, on_pass=None):
    """Call `run_pass` (returns how much it did), pass after pass, until `stop` is set
    (`once`: one pass). A pass that did nothing waits `idle_seconds`. A pass that fails (the
    database away a moment) is logged and the loop goes on; with `once` it is raised.
    Failures in a row wait longer each time, up to a minute: a database never migrated is said
    once a minute, not every two seconds. `what` names the pass in the log."""
    failures = 0
    while not stop.is_set():
        close_old_connections()
        try:
            done = run_pass()
            failures = 0
        except Exception:
            if once:
                raise
            failures += 1
            log.exception("%s pass failed (%d in a row)", what, failures)
            done = 0
        if on_pass:
            on_pass(done)
        if once:
            return
        if not done:
            stop.wait(min(idle_seconds * 2 ** (failures - 1), MAX_FAILURE_WAIT) if failures
                      else idle_seconds)


class LoopCommand(BaseCommand):
    """A command that runs a loop of passes (`loop(stop, idle_seconds=, once=, on_pass=)`)
    until stopped, or one pass with --once, and says what each pass did (`done_words`, with
    the count in it, e.g. "looked at %d submission(s)")."""

    idle_seconds: float
    done_words: str

    def loop(self, stop, **options):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=self.idle_seconds,
                            help=f"seconds between passes (default {self.idle_seconds:g})")

    def handle(self, *args, **options):
        def report(done):
            if options["verbosity"] > 1 or (options["once"] and done):
                self.stdout.write(self.done_words % done)

        self.loop(threading.Event(), idle_seconds=options["interval"], once=options["once"],
                  on_pass=report)
