"""Refresh DRS job statuses in the background: for production beside `manage.py db_worker`
(or from cron with --once). The embedded default runs the same loop on a thread of the web
process (drsui.jobs.refresher)."""

from drsui.jobs.services.refresh import LOOP_IDLE_SECONDS, refresh_loop
from drsui.loop import LoopCommand


class Command(LoopCommand):
    help = ("Look at every created job whose status is not final (and every unknown outcome) "
            "when due, backing off while nothing changes. Loops until stopped.")
    idle_seconds = LOOP_IDLE_SECONDS
    done_words = "looked at %d submission(s)"

    def loop(self, stop, **options):
        refresh_loop(stop, **options)
