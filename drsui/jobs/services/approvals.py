"""Approval before sending: the policy a submission is matched against, the digest an approval
is bound to, and the one function that changes a submission's approval state.

Every change goes through `submission_transition`: it locks the row, looks the (state, action)
pair up in TRANSITIONS, applies it, records the audit event and sends `submission_transitioned`
inside the same transaction. Any pair not in the table is refused."""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drsui import contract as c
from drsui.audit.models import AuditEvent
from drsui.audit.services import audit_record
from drsui.errors import ApplicationError
from drsui.roles import OPS_GROUP, is_ops
from drsui.wizard.selectors import user_may_use_project

from ..models import CATCH_ALL_NAME, Approval, ApprovalRule, Submission
from ..signals import submission_transitioned

State = Submission.State
REQUEST, APPROVE, REJECT, WITHDRAW, EXPIRE, REMIND, SEND = (
    "request", "approve", "reject", "withdraw", "expire", "remind", "send")
ACTIONS = (REQUEST, APPROVE, REJECT, WITHDRAW, EXPIRE, REMIND, SEND)

# Every allowed (state, action) → the state after it. Anything else is refused.
TRANSITIONS = {
    (State.QUEUED, REQUEST): State.AWAITING,  # submission_create, when the policy asks for it
    (State.AWAITING, APPROVE): State.APPROVED,  # on the N-th approval; before it, stays
    (State.AWAITING, REJECT): State.REJECTED,
    (State.AWAITING, WITHDRAW): State.WITHDRAWN,
    (State.APPROVED, WITHDRAW): State.WITHDRAWN,  # until the sender claims it
    (State.AWAITING, EXPIRE): State.EXPIRED,
    (State.AWAITING, REMIND): State.AWAITING,
    # The send path (submit._claim, a conditional update rather than a lock).
    (State.QUEUED, SEND): State.SENDING,
    (State.APPROVED, SEND): State.SENDING,
    (State.UNKNOWN, SEND): State.SENDING,
}
# Ended: the draft is free again.
_INACTIVE = (State.REJECTED, State.WITHDRAWN, State.EXPIRED)
_EVENTS = {REQUEST: "requested", APPROVE: "approved", REJECT: "rejected",
           WITHDRAW: "withdrawn", EXPIRE: "expired", REMIND: "reminder"}
_AUDIT = {REQUEST: AuditEvent.Action.APPROVAL_REQUEST, APPROVE: AuditEvent.Action.APPROVE,
          REJECT: AuditEvent.Action.REJECT, WITHDRAW: AuditEvent.Action.WITHDRAW,
          EXPIRE: AuditEvent.Action.EXPIRE, REMIND: AuditEvent.Action.REMIND}


def states_sent_from(action: str) -> tuple[str, ...]:
    """The states an action may start from (the send path's claim reads it)."""
    return tuple(state for state, act in TRANSITIONS if act == action)


# --- the policy ---------------------------------------------------------------------------


def catch_all_rule() -> ApprovalRule:
    """The policy's last rule (migration jobs 0009 makes it; made again if ever missing)."""
    rule = ApprovalRule.objects.select_related("approver_group").filter(catch_all=True).first()
    if rule is None:
        from django.contrib.auth.models import Group

        try:
            with transaction.atomic():
                rule = ApprovalRule.objects.create(
                    name=CATCH_ALL_NAME, catch_all=True, position=1_000_000,
                    approvals_needed=1,
                    approver_group=Group.objects.get_or_create(name=OPS_GROUP)[0])
        except IntegrityError:  # made at the same moment (the constraint: one catch-all)
            rule = ApprovalRule.objects.select_related("approver_group").get(catch_all=True)
    return rule


def _facts(body: dict) -> dict:
    def text(path):
        value = c.get_path(body, path)
        return "" if value is None else str(value)

    tags = c.get_path(body, "job.base_info.tags")
    return {
        "engine_type": text("job.base_info.engine_type"),
        "job_type": text("job.base_info.job_type"),
        "charging_mode": text("job.base_info.charging_mode") or "on_demand",  # the API's default
        "node_type": text("job.node_info.spec.node_type"),
        "tags": {(str(t.get("key", "")).strip(), str(t.get("value", "")).strip())
                 for t in tags if isinstance(t, dict)} if isinstance(tags, list) else set(),
    }


def rule_matches(rule: ApprovalRule, *, facts: dict, project) -> bool:
    """Every condition the rule sets holds (an empty one is any)."""
    if rule.project_id and rule.project_id != getattr(project, "pk", None):
        return False
    for field in ("engine_type", "job_type", "charging_mode", "node_type"):
        if getattr(rule, field) and getattr(rule, field) != facts[field]:
            return False
    if rule.tag:
        key, _sep, value = rule.tag.partition("=")
        if (key.strip(), value.strip()) not in facts["tags"]:
            return False
    return True


def policy_match(*, body: dict, project) -> ApprovalRule:
    """The first enabled rule, in position order, that matches the body and its project; the
    catch-all otherwise (never None)."""
    facts = _facts(body)
    rules = (ApprovalRule.objects.filter(enabled=True, catch_all=False)
             .select_related("approver_group").order_by("position", "pk"))
    for rule in rules:
        if rule_matches(rule, facts=facts, project=project):
            return rule
    return catch_all_rule()


def approval_apply_policy(submission: Submission, *, body: dict, secrets: dict) -> bool:
    """Copy the matching rule onto a new (unsaved) submission; True if it needs approval."""
    rule = policy_match(body=body, project=submission.project)
    submission.policy = rule.as_copied()
    submission.approvals_needed = rule.approvals_needed
    submission.approver_group = rule.approver_group if rule.approvals_needed else None
    submission.content_digest = content_digest(body, secrets)
    if not rule.approvals_needed:
        return False
    now = timezone.now()
    if rule.expires_after_hours:
        submission.expires_at = now + timedelta(hours=rule.expires_after_hours)
    if rule.remind_after_hours:
        submission.remind_at = now + timedelta(hours=rule.remind_after_hours)
    return True


# --- the digest ---------------------------------------------------------------------------

_SECRET_VERSION_SALT = "drsui.jobs.approvals.secret-version"


def secret_version(value) -> str:
    """A secret's version: an HMAC of its plaintext keyed from SECRET_KEY (never the
    plaintext, never a plain hash a password could be guessed from). Re-encrypting the same
    secret under another key keeps it."""
    return salted_hmac(_SECRET_VERSION_SALT, str(value), algorithm="sha256").hexdigest()


def content_digest(body: dict, secrets: dict) -> str:
    """sha256 of the canonical JSON (sorted keys) of the masked body and each secret's
    version."""
    canonical = json.dumps(
        {"body": c.mask_secrets(body),
         "secrets": {path: secret_version(v) for path, v in secrets.items()}},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def submission_digest(submission: Submission) -> str:
    """The digest of what would be sent now: the submission's body and the draft's secrets."""
    return content_digest(submission.body, submission.draft.secrets())


def draft_digest(draft) -> str:
    """The digest of the draft as it is now (an edit of the draft changes it)."""
    secrets = draft.secrets()
    return content_digest(c.body_for_validation(draft.job, secrets), secrets)


def content_changed(submission: Submission) -> bool:
    """Has the body, the draft or any secret changed since the requester asked to send it?"""
    return (submission_digest(submission) != submission.content_digest
            or draft_digest(submission.draft) != submission.content_digest)


def approvals_void(submission: Submission) -> int:
    """Mark the submission's approvals void (what they approved changed)."""
    return Approval.objects.filter(submission=submission, void=False).update(void=True)


# --- who may decide -----------------------------------------------------------------------


def _in_approver_group(user, submission: Submission) -> bool:
    if is_ops(user) and (submission.approver_group_id is None
                         or submission.policy.get("group") == OPS_GROUP):
        return True  # the ops group (superusers count as ops); a deleted group: ops only
    return (submission.approver_group_id is not None
            and user.groups.filter(pk=submission.approver_group_id).exists())


def decide_refusal(user, submission: Submission) -> str:
    """Why `user` may not approve or reject the submission ("" if they may). Four eyes for
    everyone: nobody decides on their own submission, superusers included."""
    if user is None or not getattr(user, "is_authenticated", False):
        return _("Log in to decide.")
    if user.pk == submission.user_id:
        return _("Nobody approves their own submission: another person must decide.")
    if submission.retry_of_id and AuditEvent.objects.filter(
            submission=submission, action=AuditEvent.Action.RETRY, user=user).exists():
        # Ops who retried someone's failed submission asked for this send: four eyes.
        return _("You asked for this submission (a retry): another person must decide.")
    if not _in_approver_group(user, submission):
        return _("Only members of the %(group)s group decide on this submission.") % {
            "group": submission.policy.get("group") or OPS_GROUP}
    if not user_may_use_project(user, submission.project):
        return _("Your teams are not granted the project %(project)s.") % {
            "project": submission.project.name}
    return ""


def approvals_counted(submission: Submission) -> int:
    """Approvals of what the requester asked to send (one per person: the constraint)."""
    return submission.approvals.filter(decision=Approval.Decision.APPROVE, void=False,
                                       digest=submission.content_digest).count()


# --- the transition -----------------------------------------------------------------------


def _refused(submission: Submission, action: str) -> ApplicationError:
    return ApplicationError(
        _("Not done: a submission that is %(state)s cannot be %(action)s.") % {
            "state": submission.get_state_display().lower(),
            "action": {REQUEST: _("sent for approval"), APPROVE: _("approved"),
                       REJECT: _("rejected"), WITHDRAW: _("withdrawn"), EXPIRE: _("expired"),
                       REMIND: _("reminded about"), SEND: _("sent")}.get(action, action)})


def announce(submission: Submission, event: str, *, actor=None, comment: str = ""):
    """Tell the listeners (notifications) inside the transaction of the change."""
    submission_transitioned.send(sender=Submission, submission=submission, event=event,
                                 actor=actor, comment=comment)


def submission_transition(*, submission_id: int, action: str, actor, comment: str = ""
                          ) -> Submission:
    """Apply `action` to the submission, under a lock on its row; ApplicationError if the
    (state, action) pair is not allowed or the actor may not do it."""
    comment = (comment or "").strip()
    with transaction.atomic():
        submission = (Submission.objects.select_for_update()
                      .filter(pk=submission_id).first())
        if submission is None:
            raise ApplicationError(_("This submission no longer exists."))
        new_state = TRANSITIONS.get((submission.state, action))
        if new_state is None or action == SEND:
            raise _refused(submission, action)
        detail, event = _apply(submission, action, new_state, actor=actor, comment=comment)
        submission.save()
        audit_record(user=actor, action=_AUDIT[action], submission=submission, detail=detail)
        if event:
            announce(submission, event, actor=actor, comment=comment)
        if submission.state == State.APPROVED:
            from .submit import send_enqueue

            send_enqueue(submission.pk)
    return submission


def _apply(submission: Submission, action: str, new_state: str, *, actor, comment: str
           ) -> tuple[Callable[[], str], str]:
    """Change the locked submission; (audit detail, in the active language, event to announce
    or "")."""
    names = {"name": submission.name, "project": submission.project.name}
    if action == REQUEST:
        submission.state = new_state
        rule = submission.policy
        n = submission.approvals_needed
        return (lambda: ngettext("%(name)s to %(project)s: %(n)s approval from %(group)s (rule "
                                 "%(rule)s)",
                                 "%(name)s to %(project)s: %(n)s approvals from %(group)s (rule "
                                 "%(rule)s)", n)
                % {**names, "n": n, "group": rule.get("group", ""),
                   "rule": rule.get("name", "")}), _EVENTS[action]
    if action in (APPROVE, REJECT):
        return _decide(submission, action, new_state, actor=actor, comment=comment)
    if action == WITHDRAW:
        if actor is None or actor.pk != submission.user_id:
            raise ApplicationError(_("Only the person who submitted it can withdraw it."))
    if action == REMIND:
        if submission.reminded_at:
            raise _refused(submission, action)
        submission.reminded_at = timezone.now()
        return (lambda: _("%(name)s: still awaiting approval") % names), _EVENTS[action]
    submission.state = new_state
    submission.active = new_state not in _INACTIVE
    return (lambda: _("%(name)s to %(project)s") % names + (f": {comment}" if comment else "")
            ), _EVENTS[action]


def _decide(submission: Submission, action: str, new_state: str, *, actor, comment: str
            ) -> tuple[Callable[[], str], str]:
    refusal = decide_refusal(actor, submission)
    if refusal:
        raise ApplicationError(refusal)
    if action == REJECT and not comment:
        raise ApplicationError(_("Say why it is rejected: the comment is required."))
    if submission.approvals.filter(approver=actor, void=False).exists():
        raise ApplicationError(_("You have decided on this submission already."))
    digest = submission_digest(submission)
    if action == APPROVE and content_changed(submission):  # its draft too: the send refuses
        raise ApplicationError(_(
            "Not approved: the task changed after it was requested. The requester can "
            "withdraw it and submit again."))
    try:
        with transaction.atomic():  # one person counts once (the database decides)
            Approval.objects.create(
                submission=submission, approver=actor, comment=comment, digest=digest,
                decision=Approval.Decision.APPROVE if action == APPROVE
                else Approval.Decision.REJECT)
    except IntegrityError:
        raise ApplicationError(_("You have decided on this submission already.")) from None
    names = {"name": submission.name, "project": submission.project.name}
    if action == REJECT:
        submission.state, submission.active = new_state, False
        return (lambda: _("%(name)s to %(project)s: %(comment)s")
                % {**names, "comment": comment}), _EVENTS[REJECT]
    given, needed = approvals_counted(submission), submission.approvals_needed

    def detail():
        return _("%(name)s to %(project)s: approval %(given)s of %(needed)s") % {
            **names, "given": given, "needed": needed} + (f": {comment}" if comment else "")

    if given < needed:
        return detail, ""  # recorded; the state stays awaiting
    submission.state = new_state
    return detail, _EVENTS[APPROVE]


# --- the clock ----------------------------------------------------------------------------

CLOCK_BATCH = 50


def approvals_expire_and_remind(now=None) -> int:
    """Expire awaiting submissions past expires_at; remind once after remind_at. Part of
    every status refresh pass (services.refresh.submissions_refresh_due)."""
    now = now or timezone.now()
    done = 0
    awaiting = Submission.objects.filter(state=State.AWAITING)
    due = [(pk, lang, EXPIRE) for pk, lang in awaiting.filter(expires_at__lte=now)
           .values_list("pk", "language")[:CLOCK_BATCH]]
    due += [(pk, lang, REMIND) for pk, lang in awaiting.filter(
        reminded_at__isnull=True, remind_at__lte=now).exclude(expires_at__lte=now)
        .values_list("pk", "language")[:CLOCK_BATCH]]
    for pk, language, action in due:
        with translation.override(language):
            try:
                submission_transition(submission_id=pk, action=action, actor=None)
            except ApplicationError:
                continue  # decided, withdrawn or reminded meanwhile
        done += 1
    return done
