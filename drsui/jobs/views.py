"""A submission: submitting a draft from its review, the submission's page, its clone and
export."""

import difflib
import json
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from drsui import contract as c
from drsui.errors import ApplicationError
from drsui.people.services import person_time_zone
from drsui.roles import is_ops
from drsui.wizard import forms as wizard_forms
from drsui.wizard import views as wizard_views
from drsui.wizard.draft_views import clone_response, export_response
from drsui.wizard.fields import scenario_label
from drsui.wizard.selectors import draft_get_for_user
from drsui.wizard.services import DraftGone
from drsui.wizard.steps import REVIEW_INDEX, STEPS, step_for_path, step_index

from .forms import DecisionForm
from .models import ActionRun, Submission
from .selectors import (
    approvals_awaiting_for_user,
    draft_active_submission_id,
    draft_rejection,
    submission_decisions,
    submission_get_for_user,
    submission_previous,
)
from .services import approvals
from .services.actions import action_fetch_enqueue
from .services.refresh import refresh_enqueue_if_due
from .services.submit import submission_create

_STATUS_COLOURS = (
    (("CREATING", "CONFIGURATION", "STARTJOBING"), "primary"),
    (("PAUSING", "WAITING_FOR_START"), "warning"),
    (("DELETED",), "secondary"),
)
# The portal's own states (before DRS has a job) in the same palette.
_PORTAL_COLOURS = {"QUEUED": "info", "SENDING": "info", "FAILED": "danger",
                   "UNKNOWN": "warning", "CREATED": "primary", "AWAITING_APPROVAL": "warning",
                   "APPROVED": "info", "REJECTED": "danger", "WITHDRAWN": "secondary",
                   "EXPIRED": "secondary"}
# DRS statuses that move on by themselves soon: the page looks more often.
_TRANSITIONAL = ("CREATING", "STARTJOBING", "PAUSING")


def status_colour(status: str) -> str:
    """ui.md's status colours: blue, green, red, amber, grey."""
    if status in _PORTAL_COLOURS:
        return _PORTAL_COLOURS[status]
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


def poll_seconds(submission: Submission, runs=()) -> int:
    """How often the page asks again: 1 s while sending or an action runs, 0 when nothing
    will change any more."""
    State = Submission.State
    if submission.state in (State.QUEUED, State.APPROVED, State.SENDING) or any(
            r.state in (ActionRun.State.QUEUED, ActionRun.State.RUNNING) for r in runs):
        return 1
    if submission.state == State.CREATED and submission.drs_status not in c.FINAL_STATUSES:
        seconds = 2 if submission.drs_status in _TRANSITIONAL else 5
        if submission.next_refresh_at:  # ask again soon after the next look at DRS
            until = (submission.next_refresh_at - timezone.now()).total_seconds()
            seconds = max(1, min(seconds, math.ceil(until)))
        return seconds
    if submission.state in (State.UNKNOWN, State.AWAITING):
        return 5
    return 0


def _context(request, submission: Submission) -> dict:
    fix_url = ""
    if submission.error_path:
        step = step_for_path(submission.error_path)
        # ?refused: the step shows DRS's message on the field (wizard.selectors.draft_refusal)
        fix_url = (reverse("draft_step", args=[submission.draft_id, step.slug])
                   + f"?refused={submission.pk}#f-" + submission.error_path.replace(".", "-"))
    ops = is_ops(request.user)
    runs = list(submission.action_runs.select_related("user")) if ops else []
    State = Submission.State
    held_by = None  # the draft's active submission, if another: no retry offered
    if ops and submission.state == State.FAILED and not submission.active:
        held_by = draft_active_submission_id(draft_id=submission.draft_id)
    return {
        "submission": submission,
        "status": submission.status,
        "colour": status_colour(submission.drs_status),
        "fix_url": fix_url,
        "fix_step": step_for_path(submission.error_path).title if fix_url else "",
        "poll": poll_seconds(submission, runs),
        # The refresh is due (or under way): no time already passed is shown as the next.
        "next_check_due": bool(submission.next_refresh_at
                               and submission.next_refresh_at <= timezone.now()),
        "attempts": list(submission.attempts.all()),
        "events": list(submission.events.all()),
        "retries": list(submission.retries.order_by("pk").values_list("pk", flat=True)),
        "is_ops": ops,
        "is_owner": submission.user_id == request.user.pk,  # the draft's links are the owner's
        "runs": runs,
        "can_retry": ops and (submission.state == State.UNKNOWN or (
            submission.state == State.FAILED and not submission.active and not held_by)),
        "held_by": held_by,
        "can_act": ops and submission.state == State.CREATED
        and submission.drs_status == "CONFIGURATION",
        "actions": ActionRun.Action.choices,
        "json_body": json.dumps(c.mask_secrets(submission.body), indent=2, ensure_ascii=False),
        "scenario": scenario_label(
            str(c.get_path(submission.body, "job.base_info.job_type") or "?"),
            submission.engine_type) if submission.engine_type else "",
        "approvals_given": (approvals.approvals_counted(submission)
                            if submission.state == State.AWAITING else 0),
    }


def _approval_context(request, submission: Submission, form: DecisionForm | None = None
                      ) -> dict:
    """The approval part of the page: the rule, the decisions, and what this person may do."""
    if not submission.approvals_needed:
        return {}
    State = Submission.State
    pending = submission.state in (State.AWAITING, State.APPROVED)
    current = approvals.submission_digest(submission) if pending else ""
    refusal = approvals.decide_refusal(request.user, submission)
    may_decide = submission.state == State.AWAITING and not refusal
    # Why not is said to those who decide on others' submissions (not to a requester).
    approver = is_ops(request.user) or request.user.groups.filter(
        pk=submission.approver_group_id).exists()
    ctx = {
        "approval": submission.policy,
        "decisions": submission_decisions(submission, current_digest=current),
        # the draft too: an edit in the wizard or a wave's grid fails the send (CHANGED)
        "changed": bool(pending and approvals.content_changed(submission)),
        "may_decide": may_decide,
        "decide_refusal": refusal if approver and submission.state == State.AWAITING else "",
        "may_withdraw": pending and submission.user_id == request.user.pk,
    }
    if may_decide or is_ops(request.user):
        ctx["decide_form"] = form or DecisionForm(submission_id=submission.pk)
        ctx["review_sections"] = _review_sections(submission.body, _zone(request))
        ctx["diff"], ctx["previous"] = _diff_with_previous(submission)
    return ctx


def _zone(request) -> str:
    zone = person_time_zone(request)
    return zone.key if zone else request.session.get("tz", "UTC")


def _review_sections(body: dict, tz: str) -> list[dict]:
    """The wizard's review summary of a (masked) body, step by step."""
    job = body.get("job") if isinstance(body.get("job"), dict) else {}
    secrets = {path: c.MASK for path in c.secret_paths(body)}
    return [{"step": step, "rows": wizard_forms.summary(job, secrets, step.slug, tz)}
            for step in STEPS[:REVIEW_INDEX]]


def _pretty(body: dict) -> list[str]:
    return json.dumps(c.mask_secrets(body), indent=2, ensure_ascii=False).splitlines()


def _diff_with_previous(submission: Submission) -> tuple[list[tuple[str, str]], object]:
    """(kind, line) of a line diff of the pretty JSON against the previous submission of the
    same draft ("+" added, "-" removed, "@" a hunk, " " context); ([], None) without one."""
    previous = submission_previous(submission)
    if previous is None:
        return [], None
    lines = difflib.unified_diff(_pretty(previous.body), _pretty(submission.body),
                                 fromfile=f"#{previous.pk}", tofile=f"#{submission.pk}",
                                 lineterm="", n=2)
    return [(line[:1] if line[:1] in "+-@" else " ", line) for line in lines], previous


@login_required
@require_GET
def submission_detail(request, submission_id: int):
    template = "jobs/submission.html"
    if request.htmx and not request.htmx.history_restore_request:
        # A poll: queue the background refresh if something is due (never wait on DRS here).
        refresh_enqueue_if_due()
        template += "#live"
    submission = submission_get_for_user(user=request.user, submission_id=submission_id)
    ctx = _context(request, submission)
    if request.htmx:
        for run in ctx["runs"]:
            action_fetch_enqueue(run)
    else:
        ctx["audit"] = list(submission.audit.select_related("user")) if ctx["is_ops"] else []
        ctx.update(_approval_context(request, submission))
    return render(request, template, ctx)


@login_required
@require_POST
def submission_decide(request, submission_id: int):
    """An approver's Approve or Reject. A refused decision shows the page again, with the
    reason and the comment as typed."""
    submission = submission_get_for_user(user=request.user, submission_id=submission_id)
    form = DecisionForm(request.POST, submission_id=submission.pk)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            approvals.submission_transition(
                submission_id=submission.pk, action=decision, actor=request.user,
                comment=form.cleaned_data["comment"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Approved.") if decision == "approve"
                             else _("Rejected: the requester sees your comment."))
            return redirect("submission_detail", submission.pk)
    elif "decision" in form.errors:  # the buttons send it: a hand-made request
        form.add_error(None, _("Choose Approve or Reject."))
    submission.refresh_from_db()
    ctx = _context(request, submission)
    ctx["audit"] = list(submission.audit.select_related("user")) if ctx["is_ops"] else []
    ctx.update(_approval_context(request, submission, form))
    if not ctx.get("may_decide"):  # no form to say it on (decided meanwhile): said above
        for error in form.non_field_errors():
            if error != ctx.get("decide_refusal"):
                messages.error(request, error)
    return render(request, "jobs/submission.html", ctx, status=400)


@login_required
@require_POST
def submission_withdraw(request, submission_id: int):
    """The requester takes back a submission awaiting approval (or approved, not yet sent)."""
    submission = submission_get_for_user(user=request.user, submission_id=submission_id)
    try:
        approvals.submission_transition(submission_id=submission.pk, action=approvals.WITHDRAW,
                                        actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Withdrawn: nothing was sent, and the draft is yours to "
                                    "change and submit again."))
    return redirect("submission_detail", submission.pk)


@login_required
@require_GET
def approvals_queue(request):
    """The submissions awaiting a decision this person may give (ops: every one)."""
    waiting = list(approvals_awaiting_for_user(request.user)
                   .select_related("user", "project")[:200])
    return render(request, "jobs/approvals.html", {"waiting": waiting})


@login_required
@require_http_methods(["GET", "POST"])
def draft_submit(request, draft_id: int):
    """The review step's address. Its Submit button posts here and creates the submission;
    the page itself and its "Remove it" buttons (_action=drop:…) are the wizard's."""
    if request.method == "GET" or request.POST.get("_action", "").startswith("drop:"):
        return wizard_views.draft_step(request, draft_id=draft_id, step="review",
                                       review_context=_review_context(draft_id))
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    if draft.active_submission_id:  # submitted already (a second tab, a double click)
        return redirect("submission_detail", draft.active_submission_id)
    if step_index("review") > draft.furthest_index:
        return redirect("draft_step", draft.pk, STEPS[draft.furthest_index].slug)
    try:
        submission = submission_create(draft=draft, user=request.user)
    except DraftGone as exc:
        messages.error(request, exc.message)
        return redirect("draft_list")
    except ApplicationError as exc:
        return wizard_views.draft_review(request, draft, error=exc.message,
                                         context=_review_context(draft.pk))
    return redirect("submission_detail", submission.pk)


def _review_context(draft_id: int) -> dict:
    """What the review page says of the draft's submissions: its last one's rejection."""
    return {"rejection": draft_rejection(draft_id=draft_id)}


@login_required
@require_POST
def submission_clone_view(request, submission_id: int):
    submission = submission_get_for_user(user=request.user, submission_id=submission_id)
    return clone_response(request, body=submission.body, project=submission.project,
                          origin=lambda: _("a copy of submission %(id)s") % {"id": submission.pk})


@login_required
@require_GET
def submission_export(request, submission_id: int):
    submission = submission_get_for_user(user=request.user, submission_id=submission_id)
    return export_response(request, body=submission.body, name=submission.name,
                           project=submission.project,
                           back_url=reverse("submission_detail", args=[submission.pk]))
