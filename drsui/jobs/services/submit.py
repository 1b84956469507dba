"""Submitting a draft to DRS: one active submission per draft, every attempt recorded; a retry;
after an unknown outcome, a look-up by name before anything is sent again."""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks_db import DatabaseBackend

from drsui import contract as c
from drsui.audit.models import AuditEvent
from drsui.audit.services import audit_record
from drsui.contract.times import job_status_time
from drsui.drs.errors import DrsApiError, DrsAuthError, DrsError, DrsUnavailable
from drsui.errors import ApplicationError
from drsui.metrics.instruments import SUBMISSION_OUTCOMES
from drsui.plainsql import columns, instances
from drsui.wizard.models import CloudProject, Draft
from drsui.wizard.selectors import user_may_use_project
from drsui.wizard.services import PROJECT_TO_CHOOSE, DraftGone

from ..models import (
    REFRESH_FIRST,
    Attempt,
    StatusEvent,
    Submission,
    SubmissionBody,
    language_now,
)
from . import approvals
from .clients import drs_client_for

log = logging.getLogger(__name__)
# DRS refuses a second task of the same name ("DRS.M00277…: task name already exists").
_DUPLICATE_NAME = re.compile(r"^DRS\.M00277")
SECRETS_UNREADABLE = gettext_lazy(
    "The draft's stored passwords and certificates can no longer be read (the portal's secret "
    "keys changed): nothing was sent. Type them again in the draft and submit again.")
NOT_APPROVED = gettext_lazy(
    "Not approved: this submission needs approvals it does not have, so nothing was sent. "
    "Submit again to ask for approval.")
NAME_NEEDED = gettext_lazy(
    "Name the task on the Base info step first: if DRS's answer were lost, drsui finds the "
    "task at DRS by its name before sending anything again.")
CHANGED_AFTER_APPROVAL = gettext_lazy(
    "Changed after approval: the task or its passwords are no longer what was approved, so "
    "nothing was sent and the approvals are void. Submit again to ask for approval again.")


def _checked_body(draft: Draft, user) -> dict:
    """The draft's body to send for `user` (who submits, or ops retrying), or why not."""
    if draft.project is None:
        raise ApplicationError(_("Choose a cloud project on the Base info step first."))
    if not user_may_use_project(user, draft.project):  # ops use every project
        raise ApplicationError(str(PROJECT_TO_CHOOSE))
    if not c.has_name(draft.job):
        raise ApplicationError(str(NAME_NEEDED))
    body = c.body_for_validation(draft.job, draft.secrets())  # secrets as ******
    violations = c.validate_now(body)
    if violations:
        raise ApplicationError(ngettext(
            "The task is not valid yet: %(count)s problem(s) to fix first.",
            "The task is not valid yet: %(count)s problem(s) to fix first.",
            len(violations)) % {"count": len(violations)})
    return body


def _submission_new(*, draft: Draft, user, actor, body: dict, action: str,
                    retry_of: Submission | None = None) -> Submission:
    """Create the draft's active submission and queue it; IntegrityError if one is active.
    The draft's row is locked first (as a delete locks it): a delete at the same moment waits
    and then finds the submission, or came first (DraftGone). The submission speaks the active
    language (the person's who submits): to DRS and in its messages."""
    with transaction.atomic():
        if not Draft.objects.select_for_update().filter(pk=draft.pk).values_list("pk"):
            raise DraftGone(_("This draft was deleted (in another tab?): nothing was sent."))
        submission = Submission(
            draft=draft, user=user, project=draft.project, name=draft.name,
            engine_type=str(c.get_path(draft.job, "base_info.engine_type") or ""),
            retry_of=retry_of, language=language_now())
        needs_approval = approvals.approval_apply_policy(
            submission, body=body, secrets=draft.secrets())
        submission.save()
        SubmissionBody.objects.create(submission=submission, body=body)
        names = {"name": submission.name, "project": draft.project.name}

        def detail():
            if retry_of is None:
                return _("%(name)s to %(project)s") % names
            return _("%(name)s to %(project)s (retry of submission %(retry_of)s)") % {
                **names, "retry_of": retry_of.pk}

        audit_record(user=actor, action=action, submission=submission, detail=detail)
        if needs_approval:  # held until approved (approvals.submission_transition sends it)
            return approvals.submission_transition(
                submission_id=submission.pk, action=approvals.REQUEST, actor=actor)
        send_enqueue(submission.pk)
    return submission


def send_enqueue(submission_id: int):
    """Queue the send with the transaction under way: on the database queue the task row
    commits with it; on a thread pool it is queued after the commit (a thread must not see
    the rows before)."""
    if _queue_in_database():
        submission_send.enqueue(submission_id)
    else:
        transaction.on_commit(lambda: submission_send.enqueue(submission_id))


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
        raise ApplicationError(ngettext(
            "Not sent: at most %(limit)s submission a minute per person. The draft is kept as "
            "it is; submit it again in a minute.",
            "Not sent: at most %(limit)s submissions a minute per person. The draft is kept as "
            "it is; submit it again in a minute.", limit) % {"limit": limit})


def submission_create(*, draft: Draft, user, throttled: bool = True) -> Submission:
    """Queue the draft for sending. A second call while one is active returns that one (the
    database constraint on active submissions decides, also between two calls at once).
    `throttled=False`: not counted against the per-person limit (a wave's send is one
    decision, limited as a whole: services.waves)."""
    return submission_create_or_active(draft=draft, user=user, throttled=throttled)[0]


def submission_create_or_active(*, draft: Draft, user, throttled: bool = True
                                ) -> tuple[Submission, bool]:
    """submission_create, and whether this call created the submission (False: the draft's
    active one, made before or by a call at the same moment)."""
    body = _checked_body(draft, user)
    if throttled:
        try:
            _within_submit_limit(user)
        except ApplicationError:
            if active := _active_submission(draft):  # a repeated submit is no new submission
                return active, False
            raise
    try:
        return _submission_new(draft=draft, user=user, actor=user, body=body,
                               action=AuditEvent.Action.SUBMIT), True
    except IntegrityError:
        active = _active_submission(draft)  # a concurrent submit (double click, second tab)
        if active is None:  # not the one-active-submission rule
            raise
        return active, False


def submission_retry(*, submission: Submission, user) -> Submission:
    """Send a failed submission's draft again, as a new submission (the failed one and its
    attempts stay). An unknown outcome is first looked up by name at DRS, in the same
    submission: it is sent again only if DRS has no job of that name."""
    if submission.state == Submission.State.UNKNOWN:
        audit_record(user=user, action=AuditEvent.Action.RETRY, submission=submission,
                     detail=lambda: _("%(name)s: look up by name, send only if not found")
                     % {"name": submission.name})
        transaction.on_commit(lambda: submission_send.enqueue(submission.pk))
        return submission
    if submission.state != Submission.State.FAILED or submission.active:
        raise ApplicationError(_("Only a failed submission can be retried."))
    draft = Draft.objects.select_related("project").get(pk=submission.draft_id)
    active = _active_submission(draft)
    if active:
        raise ApplicationError(
            _("Not retried: this draft already has an active submission (%(id)s, %(state)s).")
            % {"id": active.pk, "state": active.get_state_display().lower()})
    body = _checked_body(draft, user)
    try:
        return _submission_new(draft=draft, user=submission.user, actor=user, body=body,
                               action=AuditEvent.Action.RETRY, retry_of=submission)
    except IntegrityError:
        if _active_submission(draft) is None:  # not the one-active-submission rule
            raise
        raise ApplicationError(
            _("Not retried: someone submitted this draft at the same moment.")) from None


# What a send's outcome (_created, _failed, _unknown) sets on its submission, and on its attempt.
_OUTCOME_FIELDS = ("state", "active", "drs_job_id", "drs_status", "error_code", "error_msg",
                   "error_path", "refresh_interval", "next_refresh_at", "updated_at")
_ATTEMPT_FIELDS = ("outcome", "finished_at", "detail", "drs_job_id", "drs_status", "error_code",
                   "error_msg")
# A send taken for interrupted meanwhile (refresh._sends_interrupted) is unknown: the answer
# settles it. One its look-up already settled is left so.
_SETTLED_FROM = (Submission.State.SENDING, Submission.State.UNKNOWN)


def _settle(submission: Submission, attempt: Attempt | None = None,
            event: StatusEvent | None = None) -> bool:
    """Write the attempt's outcome (always), and the submission's with its status event if it
    is still to be settled (_SETTLED_FROM); False if something else settled it. The row's lock
    and the state check are one conditional UPDATE. Inside the caller's transaction."""
    submission.updated_at = timezone.now()
    if connection.vendor == "postgresql":
        return _settle_in_one_statement(submission, attempt, event)
    if attempt is not None:
        attempt.save(update_fields=_ATTEMPT_FIELDS)
    if not Submission.objects.filter(pk=submission.pk, state__in=_SETTLED_FROM).update(
            **{field: getattr(submission, field) for field in _OUTCOME_FIELDS}):
        return False
    if event is not None:
        event.save()
    return True


def _assignments(model, fields, prefix: str) -> str:
    return ", ".join(f"{model._meta.get_field(f).column} = %({prefix}{f})s" for f in fields)


# PostgreSQL: the three writes of _settle as one statement (data-modifying WITHs each run once),
# one round trip instead of three, and none of the ORM's work on each.
_SETTLE_SQL = f"""
WITH attempt AS (
    UPDATE {Attempt._meta.db_table} SET {_assignments(Attempt, _ATTEMPT_FIELDS, "a_")}
    WHERE id = %(attempt)s),
settled AS (
    UPDATE {Submission._meta.db_table} SET {_assignments(Submission, _OUTCOME_FIELDS, "s_")}
    WHERE id = %(submission)s AND state = ANY(%(settled_from)s)
    RETURNING id),
event AS (
    INSERT INTO {StatusEvent._meta.db_table} (submission_id, status, at, drs_at)
    SELECT id, %(e_status)s, %(e_at)s, %(e_drs_at)s FROM settled WHERE %(with_event)s)
SELECT count(*) FROM settled"""


def _settle_in_one_statement(submission: Submission, attempt: Attempt | None,
                             event: StatusEvent | None) -> bool:
    def values(instance, fields, prefix):
        return {f"{prefix}{f}": instance._meta.get_field(f).get_db_prep_save(
            getattr(instance, f), connection) for f in fields}

    params = {
        **values(submission, _OUTCOME_FIELDS, "s_"),
        # No attempt: "WHERE id = NULL" updates none.
        **(values(attempt, _ATTEMPT_FIELDS, "a_") if attempt else
           dict.fromkeys(f"a_{f}" for f in _ATTEMPT_FIELDS)),
        "attempt": attempt.pk if attempt else None, "submission": submission.pk,
        "settled_from": [str(state) for state in _SETTLED_FROM],
        "with_event": event is not None, "e_status": event.status if event else "",
        "e_at": submission.updated_at, "e_drs_at": event.drs_at if event else None,
    }
    with connection.cursor() as cursor:
        cursor.execute(_SETTLE_SQL, params)
        return bool(cursor.fetchone()[0])


def _finish(submission: Submission, attempt: Attempt, outcome: str, detail: str = "", *,
            job: dict | None = None):
    """Record the attempt's outcome and the submission's new state together (`job`: DRS's
    answer when it created or found the job, for the time of its status)."""
    attempt.outcome, attempt.finished_at = outcome, timezone.now()
    attempt.detail = detail[:2000]
    created = outcome in (Attempt.Outcome.CREATED, Attempt.Outcome.FOUND)
    if created:
        attempt.drs_job_id, attempt.drs_status = submission.drs_job_id, submission.drs_status
    elif outcome == Attempt.Outcome.REFUSED or submission.state == Submission.State.FAILED:
        attempt.error_code, attempt.error_msg = submission.error_code, submission.error_msg
    event = (StatusEvent(submission=submission, status=submission.drs_status,
                         drs_at=job_status_time(job or {})) if created else None)
    with transaction.atomic():
        # One settled before (its look-up by name) is left so; the answer stays on its
        # attempt, and is logged for ops when it says DRS created a job.
        if not _settle(submission, attempt, event):
            (log.error if created else log.warning)(
                "submission %s was settled before its answer came (%s, DRS job %r): left as "
                "it is", submission.pk, outcome, submission.drs_job_id)
            return
        if created:
            approvals.announce(submission, "sent")
        elif submission.state == Submission.State.FAILED:
            approvals.announce(submission, "failed", comment=submission.error_msg)


def _save_failed(submission: Submission):
    """Save a submission _failed set, outside _finish: with its "failed" event. As in _finish,
    one settled meanwhile (found by another look-up) is left as it is: never failed over it,
    never a second event."""
    with transaction.atomic():
        if not _settle(submission):
            log.warning("submission %s was settled before its look-up by name ended: left as "
                        "it is", submission.pk)
            return
        approvals.announce(submission, "failed", comment=submission.error_msg)


def _created(submission: Submission, job: dict):
    submission.state = Submission.State.CREATED
    submission.drs_job_id = str(job.get("id", ""))
    submission.drs_status = str(job.get("status", ""))
    submission.error_code = submission.error_msg = submission.error_path = ""
    submission.refresh_interval = REFRESH_FIRST
    submission.next_refresh_at = (
        None if submission.drs_status in c.FINAL_STATUSES
        else timezone.now() + timedelta(seconds=1))


def _failed(submission: Submission, *, code: str, msg: str, path: str = ""):
    """`path`: the body field DRS named (DrsApiError.error_path), to open the step to fix."""
    submission.state = Submission.State.FAILED
    submission.active = False  # frees the draft for a corrected or repeated submit
    submission.error_code, submission.error_msg = code[:32], msg
    submission.error_path = path
    submission.next_refresh_at = None


def _unknown(submission: Submission):
    """DRS gave no usable answer to the look-up by name."""
    submission.state = Submission.State.UNKNOWN
    submission.error_code = "UNKNOWN"
    submission.error_msg = _(
        "DRS gave no usable answer. It is not known whether DRS created the job; it will be "
        "looked up by name before anything is sent again.")
    submission.refresh_interval = REFRESH_FIRST
    submission.next_refresh_at = timezone.now() + timedelta(seconds=REFRESH_FIRST)


# Submission.objects.select_related("draft", "project", "sent_body").get(pk=…), without
# building the query at every send (#11).
_SEND_READ_SQL = f"""
SELECT {columns(Submission, "s")}, {columns(Draft, "d")}, {columns(CloudProject, "p")},
       {columns(SubmissionBody, "b")}
FROM {Submission._meta.db_table} s
JOIN {Draft._meta.db_table} d ON d.id = s.{Submission.draft.field.column}
JOIN {CloudProject._meta.db_table} p ON p.id = s.{Submission.project.field.column}
LEFT JOIN {SubmissionBody._meta.db_table} b ON b.{SubmissionBody.submission.field.column} = s.id
WHERE s.id = %s"""


def _submission_to_send(submission_id: int) -> Submission | None:
    for submission, draft, project, body in instances(
            [Submission, Draft, CloudProject, SubmissionBody], _SEND_READ_SQL, [submission_id]):
        for name, related in (("draft", draft), ("project", project), ("sent_body", body)):
            Submission._meta.get_field(name).set_cached_value(submission, related)
        return submission
    return None


@task()
def submission_send(submission_id: int):
    """Send a queued submission (or, after an unknown outcome, look it up by name first)."""
    submission = _submission_to_send(submission_id)
    if submission is None:
        return
    with translation.override(submission.language):
        _submission_send(submission)


def _submission_send(submission: Submission):
    prior = submission.state
    if prior not in approvals.states_sent_from(approvals.SEND):  # queued, approved, unknown
        return
    attempt = _claim(submission, prior)
    if attempt is None:
        return
    try:
        client = drs_client_for(submission.project, language=submission.language)
        if prior == Submission.State.UNKNOWN:
            if _lookup(submission, client, attempt) != "absent":
                count_outcome(submission, prior)
                return
            attempt = Attempt.objects.create(submission=submission)
        _send(submission, client, attempt)
        count_outcome(submission, prior)
    except Exception:  # a bug or a database error: never leave the draft blocked in "sending"
        log.exception("sending submission %s failed", submission.pk)
        if prior != Submission.State.UNKNOWN:
            SUBMISSION_OUTCOMES.labels(outcome=Submission.State.UNKNOWN).inc()
        now = timezone.now()
        with transaction.atomic():
            Submission.objects.filter(pk=submission.pk, state=Submission.State.SENDING).update(
                state=Submission.State.UNKNOWN, error_code="UNKNOWN",
                error_msg=_("An internal error interrupted the send. The job will be looked "
                            "up by name before anything is sent again."),
                next_refresh_at=now + timedelta(seconds=REFRESH_FIRST))
            Attempt.objects.filter(submission=submission, outcome="").update(
                outcome=Attempt.Outcome.UNKNOWN, finished_at=now,
                detail=_("interrupted by an internal error"))
        raise


_OUTCOMES = (Submission.State.CREATED, Submission.State.FAILED, Submission.State.UNKNOWN)


def count_outcome(submission: Submission, prior: str):
    """Count the outcome the submission reached (not an unknown that stayed unknown)."""
    if submission.state in _OUTCOMES and submission.state != prior:
        SUBMISSION_OUTCOMES.labels(outcome=submission.state).inc()


def _claim(submission: Submission, prior: str) -> Attempt | None:
    """Mark the submission as sending and open its attempt, in one commit; None if another
    worker given the same submission claimed it first."""
    if connection.vendor == "postgresql":
        attempt = _claim_in_one_statement(submission, prior)
    else:
        with transaction.atomic():
            attempt = None
            if Submission.objects.filter(pk=submission.pk, state=prior).update(
                    state=Submission.State.SENDING, next_refresh_at=None,
                    updated_at=timezone.now()):
                attempt = Attempt.objects.create(submission=submission)
    if attempt is not None:
        submission.state, submission.next_refresh_at = Submission.State.SENDING, None
    return attempt


# PostgreSQL: the claim's UPDATE and the attempt's INSERT as one statement, its own commit: one
# round trip instead of four (BEGIN, UPDATE, INSERT, COMMIT). Every column of an Attempt is
# written (the table has no defaults): a new field needs its place here.
_CLAIM_SQL = f"""
WITH claimed AS (
    UPDATE {Submission._meta.db_table}
    SET state = %(sending)s, next_refresh_at = NULL, updated_at = %(now)s
    WHERE id = %(id)s AND state = %(prior)s
    RETURNING id)
INSERT INTO {Attempt._meta.db_table} (submission_id, started_at, finished_at, outcome, drs_job_id,
                                      drs_status, error_code, error_msg, detail)
SELECT id, %(now)s, NULL, '', '', '', '', '', '' FROM claimed
RETURNING {columns(Attempt)}"""


def _claim_in_one_statement(submission: Submission, prior: str) -> Attempt | None:
    for (attempt,) in instances([Attempt], _CLAIM_SQL, {
            "sending": Submission.State.SENDING, "now": timezone.now(), "id": submission.pk,
            "prior": prior}):
        return attempt
    return None


def _send(submission: Submission, client, attempt: Attempt):
    secrets = submission.draft.secrets()
    if submission.draft.secrets_unreadable:  # the body holds ****** where they go
        _failed(submission, code="SECRETS", msg=str(SECRETS_UNREADABLE))
        _finish(submission, attempt, Attempt.Outcome.NOT_SENT, _("secrets unreadable"))
        return
    if submission.approvals_needed and (approvals.approvals_counted(submission)
                                        < submission.approvals_needed):
        # Never sent without its approvals, however it came to be queued (nothing fails open).
        _failed(submission, code="NOT_APPROVED", msg=str(NOT_APPROVED))
        _finish(submission, attempt, Attempt.Outcome.NOT_SENT, _("not approved"))
        return
    if submission.approvals_needed and approvals.content_changed(submission):
        # Approved was another body or other passwords than these: nothing is sent.
        approvals.approvals_void(submission)
        audit_record(user=None, action=AuditEvent.Action.APPROVAL_VOID, submission=submission,
                     detail=lambda: _("%(name)s: changed after approval, not sent")
                     % {"name": submission.name})
        _failed(submission, code="CHANGED", msg=str(CHANGED_AFTER_APPROVAL))
        _finish(submission, attempt, Attempt.Outcome.NOT_SENT, _("changed after approval"))
        return
    body = c.merge_secrets(submission.body, secrets)
    try:
        job = client.create_job(body)
    except DrsApiError as exc:
        if _DUPLICATE_NAME.match(exc.error_code) and _earlier_unknown(submission):
            # An earlier send of this draft whose outcome was unknown created it: adopt it.
            attempt.outcome, attempt.finished_at = Attempt.Outcome.REFUSED, timezone.now()
            attempt.error_code, attempt.error_msg = exc.error_code, exc.error_msg
            attempt.detail = _("HTTP %(status)s; an earlier send's outcome was unknown") % {
                "status": exc.status}
            attempt.save()
            if _lookup(submission, client) == "absent":
                _failed(submission, code=exc.error_code, msg=exc.error_msg,
                        path=exc.error_path)
                _save_failed(submission)
            return
        _failed(submission, code=exc.error_code, msg=exc.error_msg, path=exc.error_path)
        _finish(submission, attempt, Attempt.Outcome.REFUSED, f"HTTP {exc.status}")
    except DrsAuthError as exc:
        _failed(submission, code="AUTH", msg=exc.message)
        _finish(submission, attempt, Attempt.Outcome.REFUSED, _("authentication"))
    except DrsUnavailable as exc:
        if not exc.sent:
            _failed(submission, code="UNREACHABLE",
                    msg=_("DRS could not be reached; nothing was created. %(error)s")
                    % {"error": exc.message})
            _finish(submission, attempt, Attempt.Outcome.NOT_SENT, exc.message)
        else:
            _finish(submission, attempt, Attempt.Outcome.UNKNOWN, exc.message)
            if _lookup(submission, client) == "absent":
                error = exc.message
                _failed(submission, code="NOT_CREATED",
                        msg=_("%(error)s; asked by name, DRS has no job of this name: nothing "
                              "was created. Submit again.")
                        % {"error": error[:1].upper() + error[1:]})
                _save_failed(submission)
    except DrsError as exc:
        _failed(submission, code="ERROR", msg=exc.message)
        _finish(submission, attempt, Attempt.Outcome.REFUSED, exc.message)
    else:
        _created(submission, job)
        _finish(submission, attempt, Attempt.Outcome.CREATED, "", job=job)


def _earlier_unknown(submission: Submission) -> bool:
    """Did any submission of this draft send a create whose outcome stayed unknown?"""
    return Attempt.objects.filter(submission__draft_id=submission.draft_id,
                                  outcome=Attempt.Outcome.UNKNOWN).exists()


def _find_by_name(client, name: str) -> dict | None:
    """The DRS job of this name (case-insensitive), paging through DRS's name search."""
    offset, limit = 0, 100
    for _page in range(10):
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
        _unknown(submission)
        _finish(submission, attempt, Attempt.Outcome.UNKNOWN,
                _("lookup by name failed: %(error)s") % {"error": exc.message})
        return "unknown"
    if job:
        _created(submission, job)
        _finish(submission, attempt, Attempt.Outcome.FOUND, "", job=job)
        return "found"
    _finish(submission, attempt, Attempt.Outcome.NOT_FOUND, _("no job of this name at DRS"))
    return "absent"


def resolve_unknown(submission: Submission, client):
    """Look an unknown outcome up by name without sending: found → created; absent → failed
    (the draft is free again); no answer → still unknown. Its messages are in the active
    language (the caller's override of the submission's)."""
    if _lookup(submission, client) == "absent":
        _failed(submission, code="NOT_CREATED",
                msg=_("DRS has no job of this name: nothing was created. Submit again."))
        _save_failed(submission)

