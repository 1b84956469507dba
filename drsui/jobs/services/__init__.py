"""The submission's services by sub-domain: `submit` (create, retry, send), `refresh` (status
refresh), `actions` (job actions), `clients` (the DRS client of a cloud project). Each
background task sits beside its service.

The tasks are also named here, at the paths they were queued under before this package was
split: a task queued then still runs."""

from .actions import action_run_fetch, action_run_send
from .refresh import submission_refresh_due
from .submit import submission_send

__all__ = ["action_run_fetch", "action_run_send", "submission_refresh_due", "submission_send"]
