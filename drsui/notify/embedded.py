"""The embedded default's notification sweep: `manage.py drsui_deliver_notifications`' loop
on a daemon thread of the web process, started by drsui/wsgi.py beside the status refresher
and under the same conditions (drsui.jobs.refresher.embedded_refresh_wanted)."""

import atexit
import logging
import threading

from drsui.jobs.refresher import embedded_refresh_wanted

from .services import delivery_loop

log = logging.getLogger(__name__)
_lock = threading.Lock()
_stop: threading.Event | None = None


def embedded_sweep_start() -> bool:
    """Start this process's sweep if the embedded default wants one and none runs yet."""
    global _stop
    with _lock:
        if _stop is not None or not embedded_refresh_wanted():
            return _stop is not None
        _stop = threading.Event()
        threading.Thread(target=delivery_loop, args=(_stop,), name="drsui-notify",
                         daemon=True).start()
        atexit.register(_stop.set)
        log.info("notification sweep: running in this process (the embedded default)")
        return True
