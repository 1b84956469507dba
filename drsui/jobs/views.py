import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from drsui import contract as c
from drsui.wizard.steps import step_for_path

from .models import Submission
from .selectors import submission_get_for_user
from .services import submission_refresh

_STATUS_COLOURS = (
    (("CREATING", "CONFIGURATION", "STARTJOBING"), "primary"),
    (("PAUSING", "WAITING_FOR_START"), "warning"),
    (("DELETED",), "secondary"),
)


def status_colour(status: str) -> str:
    """ui.md's status colours: blue, green, red, amber, grey."""
    if status.endswith("_FAILED"):
        return "danger"
    if status.startswith("RELEASE_"):
        return "secondary"
    for statuses, colour in _STATUS_COLOURS:
        if status in statuses:
            return colour
    if status.endswith(("_STARTED", "_COMPLETE")):
        return "success"
    return "secondary"


def _context(submission: Submission) -> dict:
    fix_url = ""
    if submission.error_path:
        step = step_for_path(submission.error_path)
        fix_url = (reverse("draft_step", args=[submission.draft_id, step.slug])
                   + "#f-" + submission.error_path.replace(".", "-"))
    return {
        "submission": submission,
        "colour": status_colour(submission.drs_status),
        "fix_url": fix_url,
        "fix_step": step_for_path(submission.error_path).title if fix_url else "",
        "polling": submission.state in (Submission.State.QUEUED, Submission.State.SENDING)
        or (submission.state == Submission.State.CREATED
            and submission.drs_status not in c.FINAL_STATUSES
            and submission.drs_status != "CONFIGURATION"),
        "json_body": json.dumps(c.mask_secrets(submission.body), indent=2, ensure_ascii=False),
    }


@login_required
@require_GET
def submission_detail(request, submission_id: int):
    submission = submission_get_for_user(user=request.user, submission_id=submission_id)
    template = "jobs/submission.html"
    if request.htmx:
        submission = submission_refresh(submission=submission)
        template += "#status"
    return render(request, template, _context(submission))
