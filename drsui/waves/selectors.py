"""Reads of waves: whose they are, and each row checked by the contract."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from drsui import contract as c
from drsui.contract import rows as wave_rows
from drsui.roles import is_ops
from drsui.wizard.models import Draft

from .models import Wave, WaveRow


def waves_for_user(user):
    """The waves `user` may open: their own; ops, every one."""
    waves = Wave.objects.select_related("project", "owner")
    return waves if is_ops(user) else waves.filter(owner=user)


@dataclass
class CheckedRow:
    row: WaveRow
    cells: dict  # {path: text}; a secret's cell is always ""
    secrets_set: set  # the secret paths the draft holds a value for
    problems: dict = field(default_factory=dict)  # {path: [Violation]}
    row_problems: list = field(default_factory=list)  # [Violation] of no column
    sent: bool = False  # its draft has an active submission: read-only, as in the wizard

    @property
    def valid(self) -> bool:
        return not self.problems and not self.row_problems


def wave_rows_checked(wave: Wave) -> list[CheckedRow]:
    """Every row with its cells and the contract's violations, each on its column (or on the
    row, when it is of the template's part of the body)."""
    sent = Draft.objects.filter(pk=OuterRef("draft_id"), submissions__active=True)
    rows = list(wave.rows.select_related("draft").annotate(sent=Exists(sent))
                .order_by("position"))
    names = Counter(row.draft.name for row in rows)
    return [_row_checked(row, wave.paths, names) for row in rows]


def wave_row_checked(row: WaveRow) -> CheckedRow:
    """One row checked as wave_rows_checked checks it (its name against the wave's others)."""
    names = Counter(Draft.objects.filter(wave_row__wave_id=row.wave_id, name=row.draft.name)
                    .values_list("name", flat=True)) if row.draft.name else Counter()
    return _row_checked(row, row.wave.paths, names)


def _row_checked(row: WaveRow, paths: list[str], names: Counter) -> CheckedRow:
    job, secrets = row.draft.job, row.draft.secrets()
    sent = row.sent if hasattr(row, "sent") else row.draft.submissions.filter(
        active=True).exists()
    found = CheckedRow(row=row, cells=wave_rows.row_of(job, paths),
                       secrets_set={p for p in paths if secrets.get(p)}, sent=sent)
    for violation in c.validate(c.body_for_validation(job, secrets)):
        column = wave_rows.column_of(violation.path, paths)
        if column is None:
            found.row_problems.append(violation)
        else:
            found.problems.setdefault(column, []).append(violation)
    if not c.has_name(job):
        found.problems.setdefault(wave_rows.NAME_PATH, []).append(c.Violation(
            wave_rows.NAME_PATH, "", _("Each row needs a task name: the wave finds its rows "
                                       "by name, and DRS's jobs are found again by it.")))
    elif row.draft.name and names[row.draft.name] > 1:
        found.problems.setdefault(wave_rows.NAME_PATH, []).append(c.Violation(
            wave_rows.NAME_PATH, "", _("Another row of this wave has this name: each "
                                       "task's name must differ.")))
    return found
