"""Job actions on a created job (test connection, precheck, start), sent in the background, and
their results fetched while the submission page polls."""

from django.core.cache import cache
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from drsui import contract as c
from drsui.audit.models import AuditEvent
from drsui.audit.services import audit_record
from drsui.drs.errors import DrsApiError, DrsAuthError, DrsError, DrsUnavailable
from drsui.errors import ApplicationError

from ..models import REFRESH_FIRST, ActionRun, Submission, language_now
from .clients import drs_client_for
from .refresh import POLL_ENQUEUE_SECONDS

ACTIONS = tuple(ActionRun.Action.values)
_RESULT_DONE = {"success", "succeeded", "failed", "fail", "finished", "complete", "completed"}


def action_request(*, submission: Submission, action: str, user) -> ActionRun:
    """Queue a job action (network = test connection, precheck, start) for a created job. It
    speaks the language of the person asking (to DRS and in its messages)."""
    if action not in ACTIONS:
        raise ApplicationError(_("Unknown action %(action)s.") % {"action": repr(action)})
    if submission.state != Submission.State.CREATED or not submission.drs_job_id:
        raise ApplicationError(_("The job is not created at DRS yet: nothing to act on."))
    with transaction.atomic():
        run = ActionRun.objects.create(submission=submission, action=action, user=user,
                                       language=language_now())
        audit_record(user=user, action=AuditEvent.Action.ACTION, submission=submission,
                     detail=lambda: _("%(action_name)s (%(action)s) on %(job_id)s") % {
                         "action_name": run.get_action_display(), "action": action,
                         "job_id": submission.drs_job_id})
    transaction.on_commit(lambda: action_run_send.enqueue(run.pk))
    return run


def _run_failed(run: ActionRun, *, code: str, msg: str):
    run.state, run.error_code, run.error_msg = ActionRun.State.FAILED, code[:32], msg
    run.save()


def _client(run: ActionRun):
    return drs_client_for(run.submission.project, language=run.language)


@task()
def action_run_send(run_id: int):
    run = ActionRun.objects.select_related("submission__project").filter(pk=run_id).first()
    if run is None or not ActionRun.objects.filter(
            pk=run.pk, state=ActionRun.State.QUEUED).update(
                state=ActionRun.State.RUNNING, updated_at=timezone.now()):
        return
    run.state = ActionRun.State.RUNNING
    with translation.override(run.language):
        _action_send(run)


def _action_send(run: ActionRun):
    submission = run.submission
    client = _client(run)
    try:
        reply = client.job_action(submission.drs_job_id, run.action)
    except DrsApiError as exc:  # DRS's message as it returned it
        return _run_failed(run, code=exc.error_code, msg=exc.error_msg)
    except DrsAuthError as exc:
        return _run_failed(run, code="AUTH", msg=exc.message)
    except DrsUnavailable as exc:
        code = "UNKNOWN" if exc.sent else "UNREACHABLE"
        return _run_failed(run, code=code, msg=exc.message)
    except DrsError as exc:
        return _run_failed(run, code="ERROR", msg=exc.message)
    run.query_id = str(reply.get("query_id", ""))[:64]
    # The job's status may move now (start): look again soon.
    Submission.objects.filter(pk=submission.pk, state=Submission.State.CREATED).exclude(
        drs_status__in=c.FINAL_STATUSES).update(
        refresh_interval=REFRESH_FIRST, next_refresh_at=timezone.now())
    if run.action in (ActionRun.Action.NETWORK, ActionRun.Action.PRECHECK) and run.query_id:
        _action_fetch(run, client)
    else:
        run.state = ActionRun.State.DONE
        run.save()


def _action_fetch(run: ActionRun, client):
    try:
        result = client.get_job_action_result(run.submission.drs_job_id, run.action,
                                              run.query_id)
    except DrsError as exc:
        run.error_msg = _("The result is not available yet: %(error)s") % {"error": exc.message}
        run.save()
        return
    run.result, run.error_msg = result, ""
    status = str(result.get("status", "")).lower()
    if status in _RESULT_DONE or str(result.get("process", "")) == "100%":
        run.state = ActionRun.State.DONE
    run.save()


@task()
def action_run_fetch(run_id: int):
    run = ActionRun.objects.select_related("submission__project").filter(
        pk=run_id, state=ActionRun.State.RUNNING).exclude(query_id="").first()
    if run is not None:
        with translation.override(run.language):
            _action_fetch(run, _client(run))


def action_fetch_enqueue(run: ActionRun) -> bool:
    """A poll of the submission page asks again for a result DRS has not finished."""
    if run.state != ActionRun.State.RUNNING or not run.query_id:
        return False
    if not cache.add(f"drsui:jobs:action-fetch:{run.pk}", 1, timeout=POLL_ENQUEUE_SECONDS):
        return False
    action_run_fetch.enqueue(run.pk)
    return True
