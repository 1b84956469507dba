"""Waves: start one from a template draft; save rows (from a file or the grid) as drafts.

A row's draft is the truth (architecture.md: the draft is the body): a row's values are set
into it, so what was changed in the wizard stays, and the grid shows what the draft holds.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from drsui import contract as c
from drsui.audit.models import AuditEvent
from drsui.audit.services import audit_record
from drsui.contract import rows as wave_rows
from drsui.errors import ApplicationError
from drsui.wizard.models import Draft
from drsui.wizard.selectors import project_if_usable
from drsui.wizard.services import draft_delete, draft_from_body, draft_set_job

from .models import Wave, WaveRow


@dataclass
class RowsSaved:
    created: int = 0
    updated: int = 0
    stale: int = 0  # grid rows changed elsewhere since the page was shown: not saved
    sent: int = 0  # rows whose draft is submitted (as the wizard, not changed): not saved


def _sent_draft_ids(wave: Wave) -> set[int]:
    """The drafts of the wave with an active submission (awaiting approval, queued, sending,
    created...): the wizard no longer changes them, nor does the wave."""
    return set(Draft.objects.filter(wave_row__wave=wave, submissions__active=True)
               .values_list("pk", flat=True))


def _changes(draft: Draft, paths: list[str], values: dict) -> bool:
    """Would `values` change what the draft holds (a secret's cell: when typed)?"""
    shown = wave_rows.row_of(draft.job, paths)
    return any(text for path, text in values.items() if wave_rows.is_secret_path(path)) or any(
        text != shown.get(path) for path, text in values.items()
        if not wave_rows.is_secret_path(path))


def _cells(paths: list[str], values: dict) -> dict:
    """A row's cells of the wave's columns, as the row's draft will hold them (cell_text)."""
    return {path: wave_rows.cell_text(values[path]) for path in paths if path in values}


def wave_paths_checked(paths: list[str], job: dict | None = None) -> list[str]:
    """The columns in order, the name first and each once; ApplicationError naming every path
    that cannot be a column (of the template's `job`, when given)."""
    problems = [problem for path in paths if (problem := wave_rows.path_problem(path, job))]
    if problems:
        raise ApplicationError(" ".join(problems))
    ordered = [wave_rows.NAME_PATH, *paths]
    return list(dict.fromkeys(ordered))


@sensitive_variables()
def wave_create(*, owner, template: Draft, paths: list[str] | None = None,
                name: str = "") -> Wave:
    """A wave whose rows start from `template` as it is now; `paths` vary (by default the
    contract's proposal). Secrets of the template that no column varies are kept for every
    row (e.g. the target's password)."""
    paths = wave_paths_checked(paths or wave_rows.proposed_paths(template.job), template.job)
    wave = Wave(owner=owner, project=project_if_usable(user=owner, project=template.project),
                name=(name or template.name or _("Wave"))[:64], template=template,
                template_job=c.copy_json(template.job), paths=paths)
    wave.set_template_secrets({path: value for path, value in template.secrets().items()
                               if path not in paths})
    wave.save()
    audit_record(user=owner, action=AuditEvent.Action.WAVE_CREATE, draft_id=template.pk,
                 detail=lambda: _("%(wave)s from %(template)s") % {
                     "wave": wave.name, "template": template.name})
    return wave


@sensitive_variables()
def wave_rows_save(*, wave: Wave, rows: list[dict]) -> RowsSaved:
    """Save rows of `{path: text}`: a row whose name is a row's of the wave updates it (the
    n-th row of a name the n-th of that name), any other is added. Only the wave's columns
    are read from a row."""
    by_name = defaultdict(list)
    for row in wave.rows.select_related("draft").order_by("position"):
        row.wave = wave
        by_name[row.draft.name].append(row)
    saved = RowsSaved()
    position = (wave.rows.aggregate(last=Max("position"))["last"] or 0)
    template_secrets = wave.template_secrets()
    sent = _sent_draft_ids(wave)
    for values in rows:
        values = _cells(wave.paths, values)
        # the name as its draft keeps it (draft_set_job), so a row saved again is found
        name = values.get(wave_rows.NAME_PATH, "")[:64]
        same_name = by_name.get(name) if name else None
        if same_name:
            row = same_name.pop(0)
            if row.draft_id not in sent:
                wave_row_save(row=row, values=values)
                saved.updated += 1
            elif _changes(row.draft, wave.paths, values):
                saved.sent += 1
        else:
            position += 1
            _row_add(wave, values, position, template_secrets)
            saved.created += 1
    Wave.objects.filter(pk=wave.pk).update(updated_at=timezone.now())
    return saved


@sensitive_variables()
def _row_add(wave: Wave, values: dict, position: int, template_secrets: dict) -> WaveRow:
    job, secrets = wave_rows.row_apply(wave.template_job, template_secrets, values)
    with transaction.atomic():
        draft = draft_from_body(owner=wave.owner, body=c.merge_secrets({"job": job}, secrets),
                                project=wave.project,
                                origin=lambda: _("row %(n)s of wave %(wave)s")
                                % {"n": position, "wave": wave.name})
        return WaveRow.objects.create(wave=wave, draft=draft, position=position)


@sensitive_variables()
def wave_row_add(*, wave: Wave, values: dict) -> WaveRow:
    """A new row at the end (a row typed into the grid: added even when its name is another
    row's, which is then shown as a problem, rather than overwriting that row)."""
    values = _cells(wave.paths, values)
    position = (wave.rows.aggregate(last=Max("position"))["last"] or 0) + 1
    row = _row_add(wave, values, position, wave.template_secrets())
    Wave.objects.filter(pk=wave.pk).update(updated_at=timezone.now())
    return row


@sensitive_variables()
def wave_row_save(*, row: WaveRow, values: dict) -> WaveRow:
    """Set the row's values (of the wave's columns) into its draft; an empty secret's cell
    keeps the secret stored."""
    values = _cells(row.wave.paths, values)
    draft = row.draft
    job, secrets = wave_rows.row_apply(draft.job, draft.secrets(), values)
    draft_set_job(draft=draft, job=job, secrets=secrets)
    return row


@sensitive_variables()
def wave_grid_save(*, wave: Wave, edits: dict, new_rows: list[dict],
                   versions: dict) -> RowsSaved:
    """The grid's rows: `edits` {row pk: {path: text}} saved where they change what the row's
    draft holds (a secret's cell: when typed), `new_rows` added at the end. One transaction.
    A row whose draft's version is not the one the grid showed (`versions` {row pk: version})
    was changed meanwhile (in the wizard, another tab): it is not overwritten; nor is a row
    posted without its version (the grid always sends it)."""
    saved = RowsSaved()
    sent = _sent_draft_ids(wave) if edits else set()
    with transaction.atomic():
        for row in wave.rows.select_related("draft").filter(pk__in=list(edits)):
            row.wave = wave
            values = edits[row.pk]
            if not _changes(row.draft, wave.paths, values):
                continue
            if row.draft_id in sent:  # read-only, whatever the page showed
                saved.sent += 1
            elif versions.get(row.pk) != row.draft.version:
                saved.stale += 1
            else:
                wave_row_save(row=row, values=values)
                saved.updated += 1
        for values in new_rows:
            wave_row_add(wave=wave, values=values)
            saved.created += 1
    return saved


def wave_row_delete(*, row: WaveRow) -> None:
    """Remove a row and its draft (refused, as for any draft, once it was submitted)."""
    draft_delete(draft=row.draft)
