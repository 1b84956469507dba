"""The embedded default's status refresh: `manage.py drsui_refresh_status`'s loop on a daemon
thread of the web process, so that statuses move on with nobody's page open.

drsui/wsgi.py starts it once per process (runserver's autoreloader parent never loads the
application, so only the serving child runs one). It runs only in the embedded default: tasks
on ThreadPoolBackend (production's database queue has the `refresh` process instead) and
DRSUI_EMBEDDED_REFRESH on (default: on, production: off), on a database other threads can
reach: never on the test suite's in-memory one unless a test asks.
"""

import atexit
import logging
import threading

from django.conf import settings
from django.db import connections
from django.tasks import task_backends

from . import backends
from .services.refresh import LOOP_IDLE_SECONDS, refresh_loop

log = logging.getLogger(__name__)

_lock = threading.Lock()
_running: "EmbeddedRefresher | None" = None


class EmbeddedRefresher:
    """refresh_loop on a daemon thread; stop() ends it between two passes."""

    def __init__(self, *, idle_seconds: float = LOOP_IDLE_SECONDS):
        self.idle_seconds = idle_seconds
        self._stop = threading.Event()
        # An in-memory SQLite database (the test suite's) is reached by another thread only
        # through this thread's connection, as Django's live server reaches it.
        self._shared = {conn.alias: conn for conn in connections.all()
                        if conn.vendor == "sqlite" and conn.is_in_memory_db()}
        self.thread = threading.Thread(target=self._run, name="drsui-refresh", daemon=True)

    def start(self) -> "EmbeddedRefresher":
        for conn in self._shared.values():
            conn.inc_thread_sharing()
        self.thread.start()
        return self

    def stop(self, timeout: float = 10) -> bool:
        """Ask the loop to end and wait for it (a pass under way finishes first); True once
        the thread has ended."""
        self._stop.set()
        if self.thread.is_alive() and self.thread is not threading.current_thread():
            self.thread.join(timeout)
        return not self.thread.is_alive()

    @property
    def running(self) -> bool:
        return self.thread.is_alive() and not self._stop.is_set()

    def _run(self):
        for alias, conn in self._shared.items():
            connections[alias] = conn
        try:
            refresh_loop(self._stop, idle_seconds=self.idle_seconds)
        finally:
            if self._shared:
                for conn in self._shared.values():
                    conn.dec_thread_sharing()
            else:
                connections.close_all()


def embedded_refresh_wanted() -> bool:
    """The embedded default: DRSUI_EMBEDDED_REFRESH on, tasks run in this process, and a
    database other threads can reach (not the test suite's in-memory one)."""
    return (settings.DRSUI_EMBEDDED_REFRESH
            and isinstance(task_backends["default"], backends.ThreadPoolBackend)
            and not backends._in_memory_database())


def embedded_refresher_start() -> EmbeddedRefresher | None:
    """Start this process's refresher if the embedded default wants one and none runs yet;
    returns the one running (None if not wanted). It stops when the process exits."""
    global _running
    with _lock:
        if _running is not None and _running.running:
            return _running
        if not embedded_refresh_wanted():
            return None
        _running = EmbeddedRefresher().start()
        # On exit (runserver reloading too) a pass under way is not waited for long: the
        # thread is a daemon, and an unfinished look is simply due again.
        atexit.register(_running.stop, timeout=2)
        log.info("status refresh: running in this process (the embedded default)")
        return _running


def embedded_refresher_stop() -> bool:
    """Stop this process's refresher, if one runs; True when none runs any more."""
    global _running
    with _lock:
        refresher, _running = _running, None
    return refresher is None or refresher.stop()
