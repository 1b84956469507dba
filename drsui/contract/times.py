"""The times DRS reports on a job: `create_time` (the create's answer, the job list, the job
detail) and `update_time` (the job query's last change), written 2022-11-07T16:15:18Z."""

from datetime import UTC, datetime

# The status a job is created in: its create_time is also when it reached that status.
CREATED_STATUS = "CREATING"


def drs_time_parse(value) -> datetime | None:
    """A DRS time as an aware datetime, or None when absent or unreadable: ISO 8601 (`Z`, an
    offset, or none for UTC; `T` or a space), or epoch seconds or milliseconds."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        if isinstance(value, int | float) or str(value).strip().isdigit():
            number = float(value)
            moment = datetime.fromtimestamp(number / 1000 if number >= 1e11 else number, UTC)
        else:
            moment = datetime.fromisoformat(str(value).strip())
    except (ValueError, OverflowError, OSError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment if 2000 <= moment.year < 2200 else None


def job_status_time(job: dict) -> datetime | None:
    """When DRS says the job reached the status it reports: its `update_time`, or, for a job
    still in the status it was created in, its `create_time`; None when DRS gave neither."""
    moment = drs_time_parse(job.get("update_time"))
    if moment is None and job.get("status") == CREATED_STATUS:
        moment = drs_time_parse(job.get("create_time"))
    return moment
