"""Sending a wave: every valid row through the same submit as one draft (the approval policy,
the queue), as one decision of its owner; retrying the rows that failed."""

from dataclasses import dataclass, field
from datetime import timedelta
from itertools import batched

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drsui.audit.models import AuditEvent
from drsui.audit.services import audit_record
from drsui.errors import ApplicationError
from drsui.waves.models import Wave
from drsui.waves.selectors import wave_rows_checked
from drsui.wizard.selectors import user_may_use_project

from ..models import Submission
from ..wave_selectors import wave_latest_submissions
from .submit import submission_create_or_active, submission_retry

ROWS_PER_COMMIT = 25


@dataclass
class WaveSent:
    sent: int = 0  # new submissions (queued, or awaiting approval)
    awaiting: int = 0  # of those, held by the approval policy
    already: int = 0  # rows with a submission under way or a DRS job already
    skipped: int = 0  # rows with problems: not sent
    refused: int = 0  # rows the submit refused (e.g. the project is no longer theirs)
    messages: list[str] = field(default_factory=list)  # why, each once


@dataclass
class WaveRetried:
    retried: int = 0  # failed rows sent again as new submissions
    looked_up: int = 0  # unknown outcomes looked up by name first
    refused: int = 0
    messages: list[str] = field(default_factory=list)


def _owner_only(wave: Wave, user):
    """Sending is the owner's decision (ops see every wave, read-only), in a project still
    granted to them (said once for the wave, not once a row)."""
    if wave.owner_id != user.pk:
        raise ApplicationError(_("Only the wave's owner can send it."))
    if not user_may_use_project(user, wave.project):
        raise ApplicationError(_("This wave's cloud project is not granted to your teams (or "
                                 "no longer is): nothing was sent."))


def _within_wave_limit(user):
    """At most DRSUI_WAVE_SENDS_PER_MINUTE sends (or retries) of waves per person a minute: a
    wave's rows are not counted one by one against DRSUI_SUBMITS_PER_MINUTE."""
    limit = settings.DRSUI_WAVE_SENDS_PER_MINUTE
    since = timezone.now() - timedelta(minutes=1)
    if AuditEvent.objects.filter(user=user, action=AuditEvent.Action.WAVE_SEND,
                                 at__gte=since).count() >= limit:
        raise ApplicationError(ngettext(
            "Not sent: at most %(limit)s wave send a minute per person. Try again in a minute.",
            "Not sent: at most %(limit)s wave sends a minute per person. Try again in a "
            "minute.", limit) % {"limit": limit})


def _refusal(outcome, message: str):
    outcome.refused += 1
    if message not in outcome.messages:
        outcome.messages.append(message)


def _row_send(row, *, wave: Wave, user, active: set, outcome: WaveSent):
    if not row.valid:
        outcome.skipped += 1
        return
    if row.row.draft_id in active:
        outcome.already += 1
        return
    draft = row.row.draft
    if draft.project_id and draft.project_id == wave.project_id:
        draft.project = wave.project  # read once, not once a row
    try:
        submission, created = submission_create_or_active(
            draft=draft, user=user, throttled=False)
    except ApplicationError as exc:
        _refusal(outcome, exc.message)
        return
    if not created:  # a send at the same moment made it
        outcome.already += 1
        return
    outcome.sent += 1
    outcome.awaiting += submission.state == Submission.State.AWAITING


def wave_send(*, wave: Wave, user) -> WaveSent:
    """Submit every valid row whose draft has no active submission (never sent, or its last
    one ended without a job: failed, rejected, withdrawn, expired). A row with problems is
    skipped; a second send at the same moment makes no second submission of any draft (the
    one-active-submission constraint decides, row by row)."""
    _owner_only(wave, user)
    _within_wave_limit(user)
    checked = wave_rows_checked(wave)
    active = set(Submission.objects.filter(
        draft_id__in=[r.row.draft_id for r in checked], active=True)
        .values_list("draft_id", flat=True))
    outcome = WaveSent()
    # A transaction per ROWS_PER_COMMIT rows, not one a row: fewer commits (each a flush to
    # disk in production), and no lock held for the whole wave.
    for chunk in batched(checked, ROWS_PER_COMMIT):
        with transaction.atomic():
            for row in chunk:
                _row_send(row, wave=wave, user=user, active=active, outcome=outcome)
    audit_record(user=user, action=AuditEvent.Action.WAVE_SEND, draft_id=wave.template_id,
                 detail=lambda: _("%(wave)s: %(sent)s sent (%(awaiting)s awaiting approval), "
                          "%(already)s already sent, %(skipped)s with problems skipped, "
                          "%(refused)s refused") % {
                     "wave": wave.name, "sent": outcome.sent, "awaiting": outcome.awaiting,
                     "already": outcome.already, "skipped": outcome.skipped,
                     "refused": outcome.refused})
    return outcome


def wave_retry_failed(*, wave: Wave, user) -> WaveRetried:
    """Retry every row whose latest submission failed (a new submission) or whose outcome is
    unknown (looked up by name at DRS first, sent again only if DRS has none)."""
    _owner_only(wave, user)
    _within_wave_limit(user)
    outcome = WaveRetried()
    State = Submission.State
    for submission in wave_latest_submissions(wave).values():
        if submission.state not in (State.FAILED, State.UNKNOWN):
            continue
        try:
            submission_retry(submission=submission, user=user)
        except ApplicationError as exc:
            _refusal(outcome, exc.message)
            continue
        if submission.state == State.UNKNOWN:
            outcome.looked_up += 1
        else:
            outcome.retried += 1
    audit_record(user=user, action=AuditEvent.Action.WAVE_SEND, draft_id=wave.template_id,
                 detail=lambda: _("%(wave)s: failed rows retried: %(retried)s sent again, "
                          "%(looked_up)s looked up by name, %(refused)s refused") % {
                     "wave": wave.name, "retried": outcome.retried,
                     "looked_up": outcome.looked_up, "refused": outcome.refused})
    return outcome
