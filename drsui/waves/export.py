"""A wave as one Terraform file (for_each over its rows) and as JSON lines (a row a line).

Both are made from the rows' drafts (a row's draft is the truth), in row order, with every
secret left out: Terraform takes each from a variable, a JSON line shows it as `******`.
"""

import json

from django.views.decorators.debug import sensitive_variables

from drsui import contract as c
from drsui.contract import rows as wave_rows
from drsui.wizard.export import export_terraform_for_each

from .models import Wave

# Line breaks to readers that split on more than "\n" (Python's str.splitlines): escaped, so
# each row stays one line. JSON escapes the others itself.
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085", "\x1c": "\\u001c",
                "\x1d": "\\u001d", "\x1e": "\\u001e", "\x0b": "\\u000b", "\x0c": "\\u000c"}


def _drafts(wave: Wave) -> list:
    return [row.draft for row in wave.rows.select_related("draft").order_by("position")]


@sensitive_variables()
def wave_export_terraform(wave: Wave, *, region: str) -> str:
    """One huaweicloud_drs_job_v5 resource for every row. A secret of a column, or one the
    rows do not all hold alike, is a map variable keyed by row; any other (the template's,
    e.g. the target's password) one variable."""
    drafts = _drafts(wave)
    secrets = [draft.secrets() for draft in drafts]
    per_row = {path for path in wave.paths if wave_rows.is_secret_path(path)}
    for path in {path for held in secrets for path in held}:
        if len({held.get(path) for held in secrets}) > 1:
            per_row.add(path)
    rows = [(draft.name, c.body_for_validation(draft.job, held))
            for draft, held in zip(drafts, secrets, strict=True)]
    return export_terraform_for_each(rows, resource_name=wave.name or "wave", region=region,
                                     per_row_secrets=per_row)


def wave_export_jsonl(wave: Wave) -> str:
    """A line per row: its body as the JSON export shows it (secrets as ******), compact."""
    lines = []
    for draft in _drafts(wave):
        body = c.mask_secrets(c.body_for_validation(draft.job, draft.secrets()))
        line = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        lines.append(line.translate(str.maketrans(_LINE_BREAKS)) + "\n")
    return "".join(lines)
