"""Submitting a draft to DRS: one active submission per draft, every attempt recorded; status
refresh with back-off; retries; job actions. Every write a person asks for is audited."""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from drsui import contract as c
from drsui.drs.credentials import AccessKeyCredentials, PasswordCredentials, StaticToken
from drsui.drs.errors import DrsApiError, DrsAuthError, DrsError, DrsUnavailable
from drsui.drs.factory import client_for
from drsui.errors import ApplicationError
from drsui.metrics.instruments import SUBMISSION_OUTCOMES
from drsui.wizard.forms import body_for_validation
from drsui.wizard.models import CloudProject, Draft
from drsui.wizard.services import DraftGone

from .audit import audit_record
from .models import (
    REFRESH_FIRST,
    REFRESH_MAX,
    ActionRun,
    Attempt,
    AuditEvent,
    StatusEvent,
    Submission,
    SubmissionBody,
)

log = logging.getLogger(__name__)
# The sandbox (and drsui's own validator) name the field first: "source_endpoint.0.endpoint.ip: …"
_ERROR_PATH = re.compile(r"^\s*([a-z_]+(?:\.[a-z0-9_]+)*)\s*:")
# DRS refuses a second task of the same name ("DRS.M00277…: task name already exists").
_DUPLICATE_NAME = re.compile(r"^DRS\.M00277")
# How many submissions one background refresh looks at.
REFRESH_BATCH = 50
# htmx polls enqueue the background refresh at most this often (per process).
POLL_ENQUEUE_SECONDS = 2
ACTIONS = tuple(ActionRun.Action.values)
SECRETS_UNREADABLE = ("The draft's stored passwords and certificates can no longer be read (the "
                      "portal's secret keys changed): nothing was sent. Type them again in the "
                      "draft and submit again.")
_RESULT_DONE = {"success", "succeeded", "failed", "fail", "finished", "complete", "completed"}


def drs_client_for(project: CloudProject):
    """A client with the project's credentials: its access key pair, else its token, else its
    IAM user."""
    if project.has_access_key_pair:
        credentials = AccessKeyCredentials(access_key=project.access_key,
                                           secret_key=project.secret_key())
    elif project.has_static_token:
        credentials = StaticToken(project.static_token())
    else:
        credentials = PasswordCredentials(
            user=project.iam_user, password=project.iam_password(), domain=project.iam_domain)
    return client_for(drs_endpoint=project.drs_endpoint, iam_endpoint=project.iam_endpoint,
                      project_id=project.project_id, credentials=credentials,
                      language=project.language)


def error_path_of(error_msg: str) -> str:
    match = _ERROR_PATH.match(error_msg or "")
    return match.group(1) if match else ""


# --- submit ---------------------------------------------------------------------------------


def _checked_body(draft: Draft) -> dict:
    if draft.project is None:
        raise ApplicationError("Choose a cloud project on the Base info step first.")
    body = body_for_validation(draft.job, draft.secrets())  # secrets as ******
    violations = c.validate_now(body)
    if violations:
        raise ApplicationError(
            f"The task is not valid yet: {len(violations)} problem(s) to fix first.")
    return body


def _submission_new(*, draft: Draft, user, actor, body: dict, action: str,
                    retry_of: Submission | None = None) -> Submission:
    """Create the draft's active submission and queue it; IntegrityError if one is active.
    The draft's row is locked first (as a delete locks it): a delete at the same moment waits
    and then finds the submission, or came first (DraftGone)."""
    with transaction.atomic():
        if not Draft.objects.select_for_update().filter(pk=draft.pk).values_list("pk"):
            raise DraftGone("This draft was deleted (in another tab?): nothing was sent.")
        submission = Submission.objects.create(
            draft=draft, user=user, project=draft.project, name=draft.name,
            engine_type=str(c.get_path(draft.job, "base_info.engine_type") or ""),
            retry_of=retry_of)
        SubmissionBody.objects.create(submission=submission, body=body)
        detail = f"{submission.name} to {draft.project.name}"
        if retry_of is not None:
            detail += f" (retry of submission {retry_of.pk})"
        audit_record(user=actor, action=action, submission=submission, detail=detail)
        if _queue_in_database():  # the task row commits with the submission, in one commit
            submission_send.enqueue(submission.pk)
    if not _queue_in_database():  # a thread must not see the rows before they are committed
        transaction.on_commit(lambda: submission_send.enqueue(submission.pk))
    return submission


def _queue_in_database() -> bool:
    return isinstance(submission_send.get_backend(), DatabaseBackend)


def _active_submission(draft: Draft) -> Submission | None:
    return Submission.objects.filter(draft=draft, active=True).first()


def _within_submit_limit(user):
    """At most DRSUI_SUBMITS_PER_MINUTE submissions per person per minute (a throttle: two
    submits at the same moment may both pass the count)."""
    limit = settings.DRSUI_SUBMITS_PER_MINUTE
    since = timezone.now() - timedelta(minutes=1)
    if Submission.objects.filter(user=user, created_at__gte=since).count() >= limit:
        raise ApplicationError(
            f"Not sent: at most {limit} submissions a minute per person. The draft is kept "
            f"as it is; submit it again in a minute.")


def submission_create(*, draft: Draft, user) -> Submission:
    """Queue the draft for sending. A second call while one is active returns that one (the
    database constraint on active submissions decides, also between two calls at once)."""
    body = _checked_body(draft)
    try:
        _within_submit_limit(user)
    except ApplicationError:
        if active := _active_submission(draft):  # a repeated submit is no new submission
            return active
        raise
    try:
        return _submission_new(draft=draft, user=user, actor=user, body=body,
                               action=AuditEvent.Action.SUBMIT)
    except IntegrityError:
        active = _active_submission(draft)  # a concurrent submit (double click, second tab)
        if active is None:  # not the one-active-submission rule
            raise
        return active


def submission_retry(*, submission: Submission, user) -> Submission:
    """Send a failed submission's draft again, as a new submission (the failed one and its
    attempts stay). An unknown outcome is first looked up by name at DRS, in the same
    submission: it is sent again only if DRS has no job of that name."""
    if submission.state == Submission.State.UNKNOWN:
        audit_record(user=user, action=AuditEvent.Action.RETRY, submission=submission,
                     detail=f"{submission.name}: look up by name, send only if not found")
        transaction.on_commit(lambda: submission_send.enqueue(submission.pk))
        return submission
    if submission.state != Submission.State.FAILED or submission.active:
        raise ApplicationError("Only a failed submission can be retried.")
    draft = Draft.objects.select_related("project").get(pk=submission.draft_id)
    active = _active_submission(draft)
    if active:
        raise ApplicationError(
            f"Not retried: this draft already has an active submission ({active.pk}, "
            f"{active.get_state_display().lower()}).")
    body = _checked_body(draft)
    try:
        return _submission_new(draft=draft, user=submission.user, actor=user, body=body,
                               action=AuditEvent.Action.RETRY, retry_of=submission)
    except IntegrityError:
        if _active_submission(draft) is None:  # not the one-active-submission rule
            raise
        raise ApplicationError(
            "Not retried: someone submitted this draft at the same moment.") from None


def _finish(submission: Submission, attempt: Attempt, outcome: str, detail: str = ""):
    """Record the attempt's outcome and the submission's new state together."""
    attempt.outcome, attempt.finished_at = outcome, timezone.now()
    attempt.detail = detail[:2000]
    created = outcome in (Attempt.Outcome.CREATED, Attempt.Outcome.FOUND)
    if created:
        attempt.drs_job_id, attempt.drs_status = submission.drs_job_id, submission.drs_status
    elif outcome == Attempt.Outcome.REFUSED or submission.state == Submission.State.FAILED:
        attempt.error_code, attempt.error_msg = submission.error_code, submission.error_msg
    with transaction.atomic():
        attempt.save()
        submission.save()
        if created:
            StatusEvent.objects.create(submission=submission, status=submission.drs_status)


def _created(submission: Submission, job: dict):
    submission.state = Submission.State.CREATED
    submission.drs_job_id = str(job.get("id", ""))
    submission.drs_status = str(job.get("status", ""))
    submission.error_code = submission.error_msg = submission.error_path = ""
    submission.refresh_interval = REFRESH_FIRST
    submission.next_refresh_at = (
        None if submission.drs_status in c.FINAL_STATUSES
        else timezone.now() + timedelta(seconds=1))


def _failed(submission: Submission, *, code: str, msg: str):
    submission.state = Submission.State.FAILED
    submission.active = False  # frees the draft for a corrected or repeated submit
    submission.error_code, submission.error_msg = code[:32], msg
    submission.error_path = error_path_of(msg)
    submission.next_refresh_at = None


def _unknown(submission: Submission, why: str):
    submission.state = Submission.State.UNKNOWN
    submission.error_code = "UNKNOWN"
    submission.error_msg = (
        f"{why} It is not known whether DRS created the job; it will be looked up by name "
        "before anything is sent again.")
    submission.refresh_interval = REFRESH_FIRST
    submission.next_refresh_at = timezone.now() + timedelta(seconds=REFRESH_FIRST)


@task()
def submission_send(submission_id: int):
    """Send a queued submission (or, after an unknown outcome, look it up by name first)."""
    submission = (Submission.objects.select_related("draft", "project", "sent_body")
                  .filter(pk=submission_id).first())
    if submission is None:
        return
    prior = submission.state
    if prior not in (Submission.State.QUEUED, Submission.State.UNKNOWN):
        return
    attempt = _claim(submission, prior)
    if attempt is None:
        return
    try:
        client = drs_client_for(submission.project)
        if prior == Submission.State.UNKNOWN:
            if _lookup(submission, client, attempt) != "absent":
                _count_outcome(submission, prior)
                return
            attempt = Attempt.objects.create(submission=submission)
        _send(submission, client, attempt)
        _count_outcome(submission, prior)
    except Exception:  # a bug or a database error: never leave the draft blocked in "sending"
        log.exception("sending submission %s failed", submission.pk)
        if prior != Submission.State.UNKNOWN:
            SUBMISSION_OUTCOMES.labels(outcome=Submission.State.UNKNOWN).inc()
        now = timezone.now()
        with transaction.atomic():
            Submission.objects.filter(pk=submission.pk, state=Submission.State.SENDING).update(
                state=Submission.State.UNKNOWN, error_code="UNKNOWN",
                error_msg="An internal error interrupted the send. The job will be looked up "
                          "by name before anything is sent again.",
                next_refresh_at=now + timedelta(seconds=REFRESH_FIRST))
            Attempt.objects.filter(submission=submission, outcome="").update(
                outcome=Attempt.Outcome.UNKNOWN, finished_at=now,
                detail="interrupted by an internal error")
        raise


_OUTCOMES = (Submission.State.CREATED, Submission.State.FAILED, Submission.State.UNKNOWN)


def _count_outcome(submission: Submission, prior: str):
    """Count the outcome the submission reached (not an unknown that stayed unknown)."""
    if submission.state in _OUTCOMES and submission.state != prior:
        SUBMISSION_OUTCOMES.labels(outcome=submission.state).inc()


def _claim(submission: Submission, prior: str) -> Attempt | None:
    """Mark the submission as sending and open its attempt, in one write; None if another
    worker given the same submission claimed it first."""
    with transaction.atomic():
        if not Submission.objects.filter(pk=submission.pk, state=prior).update(
                state=Submission.State.SENDING, next_refresh_at=None, updated_at=timezone.now()):
            return None
        attempt = Attempt.objects.create(submission=submission)
    submission.state, submission.next_refresh_at = Submission.State.SENDING, None
    return attempt


def _send(submission: Submission, client, attempt: Attempt):
    secrets = submission.draft.secrets()
    if submission.draft.secrets_unreadable:  # the body holds ****** where they go
        _failed(submission, code="SECRETS", msg=SECRETS_UNREADABLE)
        _finish(submission, attempt, Attempt.Outcome.NOT_SENT, "secrets unreadable")
        return
    body = c.merge_secrets(submission.body, secrets)
    try:
        job = client.create_job(body)
    except DrsApiError as exc:
        if _DUPLICATE_NAME.match(exc.error_code) and _earlier_unknown(submission):
            # An earlier send of this draft whose outcome was unknown created it: adopt it.
            attempt.outcome, attempt.finished_at = Attempt.Outcome.REFUSED, timezone.now()
            attempt.error_code, attempt.error_msg = exc.error_code, exc.error_msg
            attempt.detail = f"HTTP {exc.status}; an earlier send's outcome was unknown"
            attempt.save()
            if _lookup(submission, client) == "absent":
                _failed(submission, code=exc.error_code, msg=exc.error_msg)
                submission.save()
            return
        _failed(submission, code=exc.error_code, msg=exc.error_msg)
        _finish(submission, attempt, Attempt.Outcome.REFUSED, f"HTTP {exc.status}")
    except DrsAuthError as exc:
        _failed(submission, code="AUTH", msg=str(exc))
        _finish(submission, attempt, Attempt.Outcome.REFUSED, "authentication")
    except DrsUnavailable as exc:
        if not exc.sent:
            _failed(submission, code="UNREACHABLE",
                    msg=f"DRS could not be reached; nothing was created. {exc}")
            _finish(submission, attempt, Attempt.Outcome.NOT_SENT, str(exc))
        else:
            _finish(submission, attempt, Attempt.Outcome.UNKNOWN, str(exc))
            if _lookup(submission, client) == "absent":
                _failed(submission, code="NOT_CREATED",
                        msg=f"{str(exc)[:1].upper()}{str(exc)[1:]}; asked by name, DRS has no "
                            "job of this name: nothing was created. Submit again.")
                submission.save()
    except DrsError as exc:
        _failed(submission, code="ERROR", msg=str(exc))
        _finish(submission, attempt, Attempt.Outcome.REFUSED, str(exc))
    else:
        _created(submission, job)
        _finish(submission, attempt, Attempt.Outcome.CREATED, "")


def _earlier_unknown(submission: Submission) -> bool:
    """Did any submission of this draft send a create whose outcome stayed unknown?"""
    return Attempt.objects.filter(submission__draft_id=submission.draft_id,
                                  outcome=Attempt.Outcome.UNKNOWN).exists()


def _find_by_name(client, name: str) -> dict | None:
    """The DRS job of this name (case-insensitive), paging through DRS's name search."""
    offset, limit = 0, 100
    for _ in range(10):
        found = client.list_jobs(name=name, offset=offset, limit=limit)
        jobs = found.get("jobs") or []
        for job in jobs:
            if isinstance(job, dict) and str(job.get("name", "")).lower() == name.lower():
                return job
        offset += limit
        if len(jobs) < limit or offset >= int(found.get("total_count") or 0):
            return None
    return None


def _lookup(submission: Submission, client, attempt: Attempt | None = None) -> str:
    """After an unknown outcome, ask DRS by name. "found": the submission is created;
    "absent": DRS has no such job (the caller decides); "unknown": DRS did not answer."""
    attempt = attempt or Attempt.objects.create(submission=submission)
    try:
        job = _find_by_name(client, submission.name)
    except DrsError as exc:
        _unknown(submission, "DRS gave no usable answer.")
        _finish(submission, attempt, Attempt.Outcome.UNKNOWN, f"lookup by name failed: {exc}")
        return "unknown"
    if job:
        _created(submission, job)
        _finish(submission, attempt, Attempt.Outcome.FOUND, "")
        return "found"
    _finish(submission, attempt, Attempt.Outcome.NOT_FOUND, "no job of this name at DRS")
    return "absent"


def _resolve_unknown(submission: Submission, client):
    """Look an unknown outcome up by name without sending: found → created; absent → failed
    (the draft is free again); no answer → still unknown."""
    if _lookup(submission, client) == "absent":
        _failed(submission, code="NOT_CREATED",
                msg="DRS has no job of this name: nothing was created. Submit again.")
        submission.save()


# --- status refresh ---------------------------------------------------------------------------


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
    try:
        job = (client or drs_client_for(submission.project)).get_job(submission.drs_job_id)
    except DrsError as exc:
        log.warning("status refresh of submission %s failed: %s", submission.pk, exc)
    else:
        status = str(job.get("status", ""))
        if status and status != submission.drs_status:
            changed = True
            submission.drs_status = status
            StatusEvent.objects.create(submission=submission, status=status)
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
    """A send still "sending" after this long lost its worker."""
    return timedelta(seconds=2 * (settings.DRSUI_HTTP_CONNECT_TIMEOUT
                                  + settings.DRSUI_HTTP_READ_TIMEOUT) + 60)


def submissions_refresh_due(*, limit: int = REFRESH_BATCH) -> int:
    """Refresh what is due (see _due), oldest first; returns how many were looked at."""
    now = timezone.now()
    Submission.objects.filter(
        state=Submission.State.SENDING, updated_at__lt=now - _stale_sending_after()
    ).update(state=Submission.State.UNKNOWN, error_code="UNKNOWN",
             error_msg="The send was interrupted. The job will be looked up by name before "
                       "anything is sent again.", next_refresh_at=now)
    done, clients = 0, {}
    for submission in _due(now).select_related("project").order_by("next_refresh_at")[:limit]:
        # Claim it, so that two refreshers never look at the same job at once.
        if not Submission.objects.filter(
                pk=submission.pk, next_refresh_at=submission.next_refresh_at,
                state=submission.state).update(
                next_refresh_at=now + timedelta(seconds=submission.refresh_interval)):
            continue
        done += 1
        if submission.project_id not in clients:
            clients[submission.project_id] = drs_client_for(submission.project)
        client = clients[submission.project_id]
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
    _resolve_unknown(submission, client)
    _count_outcome(submission, Submission.State.UNKNOWN)
    if submission.state == Submission.State.UNKNOWN:  # still no answer: back off
        submission.refresh_interval = min(interval * 2, REFRESH_MAX)
        submission.next_refresh_at = timezone.now() + timedelta(
            seconds=submission.refresh_interval)
        submission.save(update_fields=["refresh_interval", "next_refresh_at"])


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


# --- job actions ------------------------------------------------------------------------------


def action_request(*, submission: Submission, action: str, user) -> ActionRun:
    """Queue a job action (network = test connection, precheck, start) for a created job."""
    if action not in ACTIONS:
        raise ApplicationError(f"Unknown action {action!r}.")
    if submission.state != Submission.State.CREATED or not submission.drs_job_id:
        raise ApplicationError("The job is not created at DRS yet: nothing to act on.")
    with transaction.atomic():
        run = ActionRun.objects.create(submission=submission, action=action, user=user)
        audit_record(user=user, action=AuditEvent.Action.ACTION, submission=submission,
                     detail=f"{run.get_action_display()} ({action}) on {submission.drs_job_id}")
    transaction.on_commit(lambda: action_run_send.enqueue(run.pk))
    return run


def _run_failed(run: ActionRun, *, code: str, msg: str):
    run.state, run.error_code, run.error_msg = ActionRun.State.FAILED, code[:32], msg
    run.save()


@task()
def action_run_send(run_id: int):
    run = ActionRun.objects.select_related("submission__project").filter(pk=run_id).first()
    if run is None or not ActionRun.objects.filter(
            pk=run.pk, state=ActionRun.State.QUEUED).update(state=ActionRun.State.RUNNING):
        return
    run.state = ActionRun.State.RUNNING
    submission = run.submission
    client = drs_client_for(submission.project)
    try:
        reply = client.job_action(submission.drs_job_id, run.action)
    except DrsApiError as exc:
        return _run_failed(run, code=exc.error_code, msg=exc.error_msg)
    except DrsAuthError as exc:
        return _run_failed(run, code="AUTH", msg=str(exc))
    except DrsUnavailable as exc:
        code = "UNKNOWN" if exc.sent else "UNREACHABLE"
        return _run_failed(run, code=code, msg=str(exc))
    except DrsError as exc:
        return _run_failed(run, code="ERROR", msg=str(exc))
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
        run.error_msg = f"The result is not available yet: {exc}"
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
        _action_fetch(run, drs_client_for(run.submission.project))


def action_fetch_enqueue(run: ActionRun) -> bool:
    """A poll of the submission page asks again for a result DRS has not finished."""
    if run.state != ActionRun.State.RUNNING or not run.query_id:
        return False
    if not cache.add(f"drsui:jobs:action-fetch:{run.pk}", 1, timeout=POLL_ENQUEUE_SECONDS):
        return False
    action_run_fetch.enqueue(run.pk)
    return True
