"""Submitting a draft to DRS: one active submission per draft, every attempt recorded."""

import logging
import re

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from drsui import contract as c
from drsui.drs.credentials import PasswordCredentials, StaticToken
from drsui.drs.errors import DrsApiError, DrsAuthError, DrsError, DrsUnavailable
from drsui.drs.factory import client_for
from drsui.errors import ApplicationError
from drsui.wizard.forms import body_for_validation
from drsui.wizard.models import CloudProject, Draft

from .models import Attempt, StatusEvent, Submission

log = logging.getLogger(__name__)
# The sandbox (and drsui's own validator) name the field first: "source_endpoint.0.endpoint.ip: …"
_ERROR_PATH = re.compile(r"^\s*([a-z_]+(?:\.[a-z0-9_]+)*)\s*:")


def drs_client_for(project: CloudProject):
    if project.has_static_token:
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


def submission_create(*, draft: Draft, user) -> Submission:
    """Queue the draft for sending. A second call while one is active returns that one."""
    if draft.project is None:
        raise ApplicationError("Choose a cloud project on the Base info step first.")
    violations = c.validate(body_for_validation(draft.job, draft.secrets()))
    if violations:
        raise ApplicationError(
            f"The task is not valid yet: {len(violations)} problem(s) to fix first.")
    existing = Submission.objects.filter(draft=draft, active=True).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                draft=draft, user=user, project=draft.project, name=draft.name,
                engine_type=str(c.get_path(draft.job, "base_info.engine_type") or ""),
                body=body_for_validation(draft.job, draft.secrets()))  # secrets as ******
    except IntegrityError:  # a concurrent submit won the race
        return Submission.objects.get(draft=draft, active=True)
    transaction.on_commit(lambda: submission_send.enqueue(submission.pk))
    return submission


def _finish(submission: Submission, attempt: Attempt, outcome: str, detail: str = ""):
    attempt.outcome, attempt.detail, attempt.finished_at = outcome, detail, timezone.now()
    attempt.save()
    submission.save()


def _created(submission: Submission, job: dict):
    submission.state = Submission.State.CREATED
    submission.drs_job_id = str(job.get("id", ""))
    submission.drs_status = str(job.get("status", ""))
    submission.error_code = submission.error_msg = submission.error_path = ""
    StatusEvent.objects.create(submission=submission, status=submission.drs_status)


def _failed(submission: Submission, *, code: str, msg: str):
    submission.state = Submission.State.FAILED
    submission.active = False  # frees the draft for a corrected or repeated submit
    submission.error_code, submission.error_msg = code, msg
    submission.error_path = error_path_of(msg)


@task()
def submission_send(submission_id: int):
    submission = Submission.objects.select_related("draft", "project").get(pk=submission_id)
    if submission.state not in (Submission.State.QUEUED, Submission.State.UNKNOWN):
        return
    submission.state = Submission.State.SENDING
    submission.save(update_fields=["state", "updated_at"])
    attempt = Attempt.objects.create(submission=submission)
    draft = submission.draft
    body = c.merge_secrets(draft.body, draft.secrets())
    client = drs_client_for(submission.project)
    try:
        job = client.create_job(body)
    except DrsApiError as exc:
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
            _resolve_unknown(submission, client)
    except DrsError as exc:
        _failed(submission, code="ERROR", msg=str(exc))
        _finish(submission, attempt, Attempt.Outcome.REFUSED, str(exc))
    else:
        _created(submission, job)
        _finish(submission, attempt, Attempt.Outcome.CREATED, "")


def _resolve_unknown(submission: Submission, client):
    """After a send whose outcome is unknown, ask DRS by name before anything is sent again."""
    attempt = Attempt.objects.create(submission=submission)
    try:
        found = client.list_jobs(name=submission.name, limit=10)
    except DrsError as exc:
        submission.state = Submission.State.UNKNOWN
        submission.error_code = "UNKNOWN"
        submission.error_msg = (
            "DRS did not answer in time, so it is not known whether the job was created. "
            "It will be looked up by name before anything is sent again.")
        _finish(submission, attempt, Attempt.Outcome.UNKNOWN, f"lookup failed: {exc}")
        return
    match = [j for j in found.get("jobs", []) if str(j.get("name", "")).lower()
             == submission.name.lower()]
    if match:
        _created(submission, match[0])
        _finish(submission, attempt, Attempt.Outcome.FOUND, "")
    else:
        _failed(submission, code="NOT_CREATED",
                msg="DRS did not answer in time and has no job of this name: nothing was "
                    "created. Submit again.")
        _finish(submission, attempt, Attempt.Outcome.NOT_SENT, "not found by name")


def submission_refresh(*, submission: Submission) -> Submission:
    """Ask DRS for the job's status now; record a change. Faults leave the last known status."""
    if submission.state != Submission.State.CREATED or submission.drs_status in c.FINAL_STATUSES:
        return submission
    try:
        job = drs_client_for(submission.project).get_job(submission.drs_job_id)
    except DrsError as exc:
        log.warning("status refresh of submission %s failed: %s", submission.pk, exc)
        return submission
    status = str(job.get("status", ""))
    if status and status != submission.drs_status:
        submission.drs_status = status
        submission.save(update_fields=["drs_status", "updated_at"])
        StatusEvent.objects.create(submission=submission, status=status)
    return submission
