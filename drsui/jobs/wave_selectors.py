"""A wave's progress: each row's latest submission, counted (a fixed number of queries)."""

from dataclasses import dataclass, field

from django.urls import reverse

from drsui.contract import rows as wave_rows
from drsui.waves.models import Wave
from drsui.waves.selectors import wave_rows_checked
from drsui.wizard.steps import step_for_path

from .models import Submission, status_words

State = Submission.State
# Each state's count: rejected, withdrawn and expired sent nothing and free the draft, so the
# row is "not sent" (Send the wave sends it again).
COUNTED = {
    State.QUEUED: "in_flight", State.APPROVED: "in_flight", State.SENDING: "in_flight",
    State.AWAITING: "awaiting", State.CREATED: "created", State.FAILED: "failed",
    State.UNKNOWN: "unknown", State.REJECTED: "not_sent", State.WITHDRAWN: "not_sent",
    State.EXPIRED: "not_sent",
}
COUNTS = ("not_sent", "awaiting", "in_flight", "created", "failed", "unknown")


@dataclass
class RowProgress:
    position: int
    name: str
    draft_id: int
    submission: Submission | None
    counted: str  # one of COUNTS
    fix_url: str = ""  # where DRS's error is fixed: the field's step in the wizard
    fix_step: str = ""
    column: str = ""  # the wave's column DRS's error is on, if one

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else ""

    @property
    def status_words(self) -> str:
        return status_words(self.status)


@dataclass
class WaveProgress:
    wave: Wave
    rows: list[RowProgress]
    counts: dict = field(default_factory=dict)  # {name in COUNTS: n}
    # Valid rows without an active submission (None while sending: not checked then).
    sendable: int | None = None

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def in_flight(self) -> bool:
        """Anything queued or sending (the partial polls itself only then)."""
        return self.counts["in_flight"] > 0

    @property
    def sent_rows(self) -> list:
        """The rows with a submission (the table lists only these: the grid shows them all)."""
        return [row for row in self.rows if row.submission]

    @property
    def retryable(self) -> int:
        return self.counts["failed"] + self.counts["unknown"]

    def share(self, name: str) -> int:
        """A count as a whole percentage of the rows (a segment of the progress bar)."""
        return 100 * self.counts[name] // self.total if self.total else 0

    @property
    def bar(self) -> list[dict]:
        """The progress bar's segments: created, failed, unknown, awaiting, in flight."""
        return [{"name": name, "n": self.counts[name], "pct": self.share(name)}
                for name in ("created", "failed", "unknown", "awaiting", "in_flight")
                if self.counts[name]]


def _fix(row: RowProgress, wave: Wave):
    submission = row.submission
    if not submission or submission.state != State.FAILED or not submission.error_path:
        return
    step = step_for_path(submission.error_path)
    # ?refused: the step shows DRS's message on the field, as from the submission page.
    row.fix_url = (reverse("draft_step", args=[row.draft_id, step.slug])
                   + f"?refused={submission.pk}#f-" + submission.error_path.replace(".", "-"))
    row.fix_step = str(step.title)
    row.column = wave_rows.column_of(submission.error_path, wave.paths) or ""


def wave_latest_submissions(wave: Wave) -> dict[int, Submission]:
    """{draft id: its latest submission} of the wave's rows (one query)."""
    latest = {}
    for submission in (Submission.objects.filter(draft__wave_row__wave=wave)
                       .order_by("draft_id", "-pk")):
        latest.setdefault(submission.draft_id, submission)
    return latest


def wave_progress(wave: Wave) -> WaveProgress:
    """Every row with its latest submission and the counts; which rows could be sent is
    checked (by the contract) only while nothing is in flight."""
    rows = list(wave.rows.order_by("position").values_list("position", "draft_id",
                                                            "draft__name"))
    latest = wave_latest_submissions(wave)
    progress = WaveProgress(wave=wave, rows=[], counts=dict.fromkeys(COUNTS, 0))
    for position, draft_id, name in rows:
        submission = latest.get(draft_id)
        row = RowProgress(position=position, name=name, draft_id=draft_id,
                          submission=submission,
                          counted=COUNTED[submission.state] if submission else "not_sent")
        _fix(row, wave)
        progress.counts[row.counted] += 1
        progress.rows.append(row)
    if not progress.in_flight:
        active = {d for d, s in latest.items() if s.active}
        progress.sendable = sum(1 for checked in wave_rows_checked(wave)
                                if checked.valid and checked.row.draft_id not in active)
    return progress
