"""gunicorn's settings for the Procfile's web process (`gunicorn -c python:drsui.gunicorn_conf`).

DRSUI_BIND        where to listen (default 127.0.0.1:8000; 0.0.0.0:8000 for a proxy elsewhere)
WEB_CONCURRENCY   worker processes (default 2 per core + 1)
DRSUI_TLS_CERT / DRSUI_TLS_KEY   serve HTTPS itself, without a proxy (`make serve` does)
gunicorn's own lines are JSON and masked, as the application's are (drsui.logs)."""

import os
import sys

from drsui.production import UnsafeProductionSettings, production_problems

bind = os.environ.get("DRSUI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
timeout = 60  # a request never waits on DRS (the queue does), but an upload may be slow
graceful_timeout = 30
# gunicorn's runtime control socket ($HOME/.gunicorn/gunicorn.ctl, one path for every gunicorn
# the user runs: two on one host would share it): not used; signals do its work.
control_socket_disable = True
if os.environ.get("DRSUI_TLS_CERT"):
    certfile = os.environ["DRSUI_TLS_CERT"]
    keyfile = os.environ["DRSUI_TLS_KEY"]

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "drsui.logs.RequestContext"},
        "mask_secrets": {"()": "drsui.logs.MaskSecrets"},
    },
    "formatters": {"json": {"()": "drsui.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_context", "mask_secrets"],
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}


def on_starting(server):
    """Unsafe production settings: their plain list once, before any worker starts (each
    worker would otherwise fail to boot with it inside a traceback)."""
    if os.environ.get("DRSUI_ENV") == "production" and (
            problems := production_problems(os.environ)):
        print(UnsafeProductionSettings(problems), file=sys.stderr)
        sys.exit(1)
