"""Sandbox DRS jobs: create, read with lazily advancing status, list, actions."""

import secrets
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from drsui.sandbox import clock
from drsui.sandbox.models import SandboxJob

# Statuses that move on by themselves after settings.DRSUI_SANDBOX["CONFIGURATION_DELAY_SECONDS"].
_AUTO_NEXT = {"CREATING": "CONFIGURATION", "STARTJOBING": "INCRE_TRANSFER_STARTED"}

LIST_FIELDS = (
    "engine_type",
    "job_type",
    "net_type",
    "charging_mode",
    "job_direction",
    "description",
)

NETWORK_ITEMS = ("source", "target")
PRECHECK_ITEMS = (
    "source_database_connection",
    "target_database_connection",
    "source_database_user_permissions",
    "target_database_user_permissions",
    "database_versions",
    "object_name_conflicts",
)
# action -> (statuses it is allowed in, the status it moves the job to or None)
ACTIONS = {
    "network": (("CONFIGURATION",), None),
    "precheck": (("CONFIGURATION",), None),
    "start": (("CONFIGURATION",), "STARTJOBING"),
    "stop": (("FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"), "PAUSING"),
    "terminate": (
        (
            "CONFIGURATION",
            "STARTJOBING",
            "FULL_TRANSFER_STARTED",
            "INCRE_TRANSFER_STARTED",
            "FULL_TRANSFER_COMPLETE",
            "PAUSING",
            "WAITING_FOR_START",
        ),
        "RELEASE_RESOURCE_COMPLETE",
    ),
}


class DuplicateName(Exception):
    pass


class ActionNotAllowed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def drs_time(moment: datetime) -> str:
    """DRS's time format: 2022-11-07T16:15:18Z (UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_job_id() -> str:
    """Shaped like DRS's ids, e.g. c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r."""
    return f"{str(uuid.uuid4())[:-5]}jb20{secrets.choice('abcdefghijklmnopqrstuvwxyz')}"


def job_create(*, project_id: str, job: dict) -> SandboxJob:
    """Store a validated job object (secrets already removed); raises DuplicateName."""
    base_info = job.setdefault("base_info", {})
    name = base_info.get("name")
    if not name:
        name = _free_generated_name(project_id=project_id)
        base_info["name"] = name
    if SandboxJob.objects.filter(project_id=project_id, name__iexact=name).exists():
        raise DuplicateName(name)
    now = clock.now()
    try:
        with transaction.atomic():
            return SandboxJob.objects.create(
                job_id=new_job_id(),
                project_id=project_id,
                name=name,
                body=job,
                status="CREATING",
                status_since=now,
                create_time=now,
                history=[{"status": "CREATING", "at": drs_time(now)}],
            )
    except IntegrityError:  # created meanwhile by another request
        raise DuplicateName(name) from None


def _free_generated_name(*, project_id: str) -> str:
    while True:
        name = f"DRS-{secrets.randbelow(10**6):06d}"
        if not SandboxJob.objects.filter(project_id=project_id, name__iexact=name).exists():
            return name


def job_get(*, project_id: str, job_id: str) -> SandboxJob | None:
    job = SandboxJob.objects.filter(project_id=project_id, job_id=job_id).first()
    return job_advance(job) if job else None


def job_list(*, project_id: str, name: str | None = None, status: str | None = None) -> list:
    """Every matching job, newest first."""
    jobs = SandboxJob.objects.filter(project_id=project_id).order_by("-create_time", "-pk")
    if name:
        jobs = jobs.filter(name__icontains=name)
    advanced = [job_advance(job) for job in jobs]
    return [job for job in advanced if not status or job.status == status]


def job_advance(job: SandboxJob) -> SandboxJob:
    """Apply the status changes due by now (the sandbox has no background worker)."""
    delay = timedelta(seconds=settings.DRSUI_SANDBOX["CONFIGURATION_DELAY_SECONDS"])
    now = clock.now()
    old_status = job.status
    while (next_status := _next_status(job)) and now >= job.status_since + delay:
        job.status = next_status
        job.status_since += delay
        job.history = [*job.history, {"status": next_status, "at": drs_time(job.status_since)}]
    if job.status != old_status:
        # Only if nobody changed the status meanwhile (another worker, an action).
        SandboxJob.objects.filter(pk=job.pk, status=old_status).update(
            status=job.status, status_since=job.status_since, history=job.history
        )
    return job


def _next_status(job: SandboxJob) -> str | None:
    if (
        job.status == "STARTJOBING"
        and job.body.get("base_info", {}).get("task_type") == "FULL_TRANS"
    ):
        return "FULL_TRANSFER_STARTED"
    return _AUTO_NEXT.get(job.status)


def job_action(*, job: SandboxJob, action_name: str) -> str:
    """Run an action; returns its query_id. Raises ActionNotAllowed, KeyError if unknown."""
    allowed_in, next_status = ACTIONS[action_name]
    if job.status not in allowed_in:
        raise ActionNotAllowed(
            _("Action %(action)s is not allowed while the task is %(status)s.")
            % {"action": action_name, "status": job.status}
        )
    query_id = str(uuid.uuid4())
    now = clock.now()
    if action_name in ("network", "precheck"):
        job.action_results = {
            **job.action_results,
            query_id: {"type": action_name, "result": _action_result(action_name, query_id)},
        }
    if next_status:
        job.status = next_status
        job.status_since = now
        job.history = [*job.history, {"status": next_status, "at": drs_time(now)}]
    job.save(update_fields=["status", "status_since", "history", "action_results"])
    return query_id


def _action_result(action_name: str, query_id: str) -> dict:
    if action_name == "network":
        return {
            "query_id": query_id,
            "status": "success",
            "results": [{"item": item, "success": True} for item in NETWORK_ITEMS],
        }
    return {
        "query_id": query_id,
        "status": "success",
        "process": "100%",
        "total_passed_rate": "100%",
        "results": [{"item": item, "result": "PASS"} for item in PRECHECK_ITEMS],
    }


def job_detail(job: SandboxJob) -> dict:
    return {
        **job.body,
        "id": job.job_id,
        "name": job.name,
        "status": job.status,
        "create_time": drs_time(job.create_time),
        "update_time": drs_time(job.status_since),  # its last status change
    }


def job_summary(job: SandboxJob) -> dict:
    base_info = job.body.get("base_info", {})
    return {
        "id": job.job_id,
        "name": job.name,
        "status": job.status,
        **{field: base_info.get(field, "") for field in LIST_FIELDS},
        "create_time": drs_time(job.create_time),
    }
