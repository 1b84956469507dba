"""Post the notifications' webhooks that are due (retries after a failed post): for production
beside `manage.py db_worker` (the Procfile's `notify` process), or from cron with --once. The
embedded default runs the same loop on a thread of the web process (drsui.notify.embedded)."""

from drsui.loop import LoopCommand
from drsui.notify.services import LOOP_IDLE_SECONDS, delivery_loop


class Command(LoopCommand):
    help = ("Post every due notification (first posts the queue missed, and retries after a "
            "failed post), each webhook's in order. Loops until stopped.")
    idle_seconds = LOOP_IDLE_SECONDS
    done_words = "delivered %d notification(s)"

    def loop(self, stop, **options):
        delivery_loop(stop, **options)
