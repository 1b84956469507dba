"""The background status refresh: created jobs whose status is not final, and unknown
outcomes, looked at when due, with back-off while nothing changes."""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.tasks import TaskResultStatus, task
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from drsui import contract as c
from drsui.contract.times import job_status_time
from drsui.drs.errors import DrsError
from drsui.loop import pass_loop

from ..models import REFRESH_FIRST, REFRESH_MAX, ActionRun, Attempt, StatusEvent, Submission
from .approvals import approvals_expire_and_remind
from .clients import drs_client_for
from .submit import count_outcome, resolve_unknown

log = logging.getLogger(__name__)
# How many submissions one background refresh looks at.
REFRESH_BATCH = 50
# htmx polls enqueue the background refresh (and an action's result) at most this often
# (per process).
POLL_ENQUEUE_SECONDS = 2
# The refresh loop waits this long after a pass that found nothing due.
LOOP_IDLE_SECONDS = 2.0


def _back_off(submission: Submission, *, changed: bool):
    """Schedule the next look: `refresh_interval` is the next wait (5 s, 10 s, … 10 min);
    a change of status starts again at 5 s."""
    if submission.drs_status in c.FINAL_STATUSES and submission.state == Submission.State.CREATED:
        submission.next_refresh_at = None
        return
    if changed:
        submission.refresh_interval = REFRESH_FIRST
    wait = submission.refresh_interval
    submission.next_refresh_at = timezone.now() + timedelta(seconds=wait)
    submission.refresh_interval = min(wait * 2, REFRESH_MAX)


def submission_refresh(*, submission: Submission, client=None) -> Submission:
    """Ask DRS for the job's status now and record a change; then back off: the interval
    doubles while the status stays (to REFRESH_MAX) and starts again at REFRESH_FIRST on a
    change. A fault leaves the last known status and backs off too."""
    if submission.state != Submission.State.CREATED or submission.drs_status in c.FINAL_STATUSES:
        return submission
    changed = False
    client = client or drs_client_for(submission.project, language=submission.language)
    try:
        job = client.get_job(submission.drs_job_id)
    except DrsError as exc:
        log.warning("status refresh of submission %s failed: %s", submission.pk, exc)
    else:
        status = str(job.get("status", ""))
        if status and status != submission.drs_status:
            changed = True
            submission.drs_status = status
            StatusEvent.objects.create(submission=submission, status=status,
                                       drs_at=job_status_time(job))
    _back_off(submission, changed=changed)
    fields = ["drs_status", "refresh_interval", "next_refresh_at"]
    if changed:
        fields.append("updated_at")
    submission.save(update_fields=fields)
    return submission


def _due(now):
    """Created jobs whose status is not final, and unknown outcomes, due for a look.

    Only those ever have a next_refresh_at: every other state clears it."""
    return (Submission.objects
            .filter(state__in=(Submission.State.CREATED, Submission.State.UNKNOWN),
                    next_refresh_at__lte=now)
            .exclude(state=Submission.State.CREATED, drs_status__in=c.FINAL_STATUSES))


def _stale_sending_after() -> timedelta:
    """A send still "sending" after this long lost its worker: longer than the longest a send
    can take (a token and the create, each once more after a 401: four calls) and a minute."""
    return timedelta(seconds=4 * (settings.DRSUI_HTTP_CONNECT_TIMEOUT
                                  + settings.DRSUI_HTTP_READ_TIMEOUT) + 60)


def tasks_requeue_abandoned(now) -> int:
    """Queue again the database queue's tasks whose worker died while running them (SIGKILL,
    out of memory, a machine lost): django-tasks-db leaves such a task "running" for ever, so a
    submission still queued would never be sent. A task running longer than any send can take
    is taken for abandoned. Only the sends are queued again (the refresh is queued anew by the
    next poll): running one twice is safe, as each first claims its submission or action run
    with a conditional update, and a second run finds it claimed or settled."""
    return DBTaskResult.objects.filter(
        Q(task_path__endswith=".submission_send") | Q(task_path__endswith=".action_run_send"),
        status=TaskResultStatus.RUNNING, started_at__lt=now - _stale_sending_after(),
    ).update(status=TaskResultStatus.READY, enqueued_at=now)


# Written into rows of several submissions at once, each in its submission's language.
SEND_INTERRUPTED = _("The send was interrupted. The job will be looked up by name before "
                     "anything is sent again.")
SEND_INTERRUPTED_DETAIL = _("interrupted: the worker sending it stopped")
ACTION_INTERRUPTED = _("The worker sending it stopped: whether DRS received it is not known. "
                       "Look at the job's status, or run the action again.")


def _in_its_language(message):
    """`message` in the language of each row an update writes: one query."""
    whens = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            whens.append(When(language=code, then=Value(str(message))))
    return Case(*whens, default=Value(str(message)))


def _sends_interrupted(now):
    """A send still "sending" past the longest a send can take lost its worker: its outcome is
    unknown (looked up by name when due), and so is its attempt left open."""
    cutoff = now - _stale_sending_after()
    stale = list(Submission.objects.filter(
        state=Submission.State.SENDING, updated_at__lt=cutoff).values_list("pk", flat=True))
    if not stale:
        return
    with transaction.atomic():
        Submission.objects.filter(
            pk__in=stale, state=Submission.State.SENDING, updated_at__lt=cutoff).update(
            state=Submission.State.UNKNOWN, error_code="UNKNOWN",
            error_msg=_in_its_language(SEND_INTERRUPTED), next_refresh_at=now)
        open_attempts = Attempt.objects.filter(
            submission__in=stale, submission__state=Submission.State.UNKNOWN, outcome="")
        for code, _name in settings.LANGUAGES:  # rare: a join cannot decide an update's value
            with translation.override(code):
                open_attempts.filter(submission__language=code).update(
                    outcome=Attempt.Outcome.UNKNOWN, finished_at=now,
                    detail=str(SEND_INTERRUPTED_DETAIL))
        open_attempts.update(outcome=Attempt.Outcome.UNKNOWN, finished_at=now,
                             detail=str(SEND_INTERRUPTED_DETAIL))  # any other language


def _action_runs_interrupted(now):
    """An action still running, unanswered, past the longest a send can take lost its worker
    (one with a query id is waiting for its result, which the page's poll fetches)."""
    ActionRun.objects.filter(
        state=ActionRun.State.RUNNING, query_id="", updated_at__lt=now - _stale_sending_after()
    ).update(state=ActionRun.State.FAILED, error_code="UNKNOWN", updated_at=now,
             error_msg=_in_its_language(ACTION_INTERRUPTED))


def submissions_refresh_due(*, limit: int = REFRESH_BATCH) -> int:
    """Refresh what is due (see _due), oldest first, and expire or remind approvals that are
    due; returns how many were looked at."""
    now = timezone.now()
    tasks_requeue_abandoned(now)
    _sends_interrupted(now)
    _action_runs_interrupted(now)
    # Approvals waiting too long expire; a reminder once after the rule's time.
    done, clients = approvals_expire_and_remind(now), {}
    for submission in _due(now).select_related("project").order_by("next_refresh_at")[:limit]:
        # Claim it, so that two refreshers never look at the same job at once.
        if not Submission.objects.filter(
                pk=submission.pk, next_refresh_at=submission.next_refresh_at,
                state=submission.state).update(
                next_refresh_at=now + timedelta(seconds=submission.refresh_interval)):
            continue
        done += 1
        key = (submission.project_id, submission.language)
        if key not in clients:
            clients[key] = drs_client_for(submission.project, language=submission.language)
        client = clients[key]
        if submission.state == Submission.State.CREATED:
            submission_refresh(submission=submission, client=client)
        else:
            _resolve_due_unknown(submission, client)
    return done


def _resolve_due_unknown(submission: Submission, client):
    if not Submission.objects.filter(pk=submission.pk, state=Submission.State.UNKNOWN).update(
            state=Submission.State.SENDING, next_refresh_at=None, updated_at=timezone.now()):
        return
    submission.state, submission.next_refresh_at = Submission.State.SENDING, None
    interval = submission.refresh_interval
    with translation.override(submission.language):
        resolve_unknown(submission, client)
    count_outcome(submission, Submission.State.UNKNOWN)
    if submission.state == Submission.State.UNKNOWN:  # still no answer: back off
        submission.refresh_interval = min(interval * 2, REFRESH_MAX)
        submission.next_refresh_at = timezone.now() + timedelta(
            seconds=submission.refresh_interval)
        submission.save(update_fields=["refresh_interval", "next_refresh_at"])


def refresh_loop(stop: threading.Event, *, idle_seconds: float = LOOP_IDLE_SECONDS,
                 once: bool = False, on_pass=None):
    """Refresh what is due, pass after pass, until `stop` is set (`once`: one pass): the loop of
    `manage.py drsui_refresh_status` and of the embedded default's refresher thread
    (drsui.loop.pass_loop: a failed pass is logged, and waits longer each time)."""
    pass_loop(lambda: submissions_refresh_due(), stop, what="status refresh",  # not translated
              idle_seconds=idle_seconds, once=once, on_pass=on_pass)


@task()
def submission_refresh_due():
    return submissions_refresh_due()


def refresh_enqueue_if_due() -> bool:
    """Called by the htmx polls of the dashboard and the submission page: queue the background
    refresh when something is due (one cheap query), at most every POLL_ENQUEUE_SECONDS."""
    # next_refresh_at alone (see _due): one probe of the jobs_sub_due index.
    if not Submission.objects.filter(next_refresh_at__lte=timezone.now()).exists():
        return False
    if not cache.add("drsui:jobs:refresh-due", 1, timeout=POLL_ENQUEUE_SECONDS):
        return False
    submission_refresh_due.enqueue()
    return True

