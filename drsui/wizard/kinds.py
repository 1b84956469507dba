"""Field kinds: how one kind of wizard input reads its post, shows its value and renders.

`Field.kind` names an entry of `KINDS`. A kind
- `apply`: puts the posted strings into the body as API values at the field's path, or says
  what is wrong on the form (which keeps what was typed);
- `settle`: gives a shown field that holds nothing usable its default;
- `value` and `display`: the API value the field holds and the text shown back for it;
- `context`: what its partial needs beyond the keys every field has (forms._bound);
- `template`: its partial, templates/wizard/kinds/<kind>.html (a kind may share its parent's);
- `summary`: the text the review page shows.
A new kind is one class here and one partial.

The kinds change a `StepForm` (forms.py) through its `job`, `secrets`, `tz`, `add_error` and
`delete`, and read what the request asked (`rerender`, `removing`, `extra_rows`).
"""

import base64
import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext as _

from drsui import contract as c

from .fields import Field, scenario_label, value_label

if TYPE_CHECKING:
    from .forms import StepForm

MAX_CERT_BYTES = 256 * 1024


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def as_posted(stored, posted: str):
    """Posting what was rendered changes nothing: the stored text stays when the post is it
    trimmed (inputs are trimmed; a browser sends a textarea's line breaks as CRLF)."""
    if isinstance(stored, str) and stored.replace("\r\n", "\n").strip() == posted:
        return stored
    return posted


def pop_secrets_under(secrets: dict, path: str) -> dict:
    """Remove and return the secrets stored at or below `path`."""
    return {k: secrets.pop(k) for k in list(secrets) if k == path or k.startswith(path + ".")}


def rows_of(job: dict, f: Field) -> list[dict]:
    raw = c.get_path(job, f.path)
    return [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []


def _set_or_keep_empty(form: "StepForm", f: Field, value: str):
    """An empty post deletes the field, unless the body held it empty."""
    value = as_posted(c.get_path(form.job, f.path), value)
    if value or f.keep_empty:
        c.set_path(form.job, f.path, value)
    elif c.get_path(form.job, f.path) != "":
        form.delete(f.path)


def chosen_label(choices, value: str, label_of=value_label) -> str:
    """The label of the choice `value` is, or — for a value not offered (an import's, one
    kept after a change) — its label and that it is not offered."""
    label = next((label for _, label, selected in choices if selected), None)
    if label is not None:
        return label
    if not value:
        return "—"
    return _("%(value)s (not offered for this scenario)") % {"value": label_of(value)}


class Kind:
    template = ""  # its partial
    wide = False  # spans the whole row of the field grid
    secret = False  # kept beside the body, encrypted; never shown back

    def apply(self, form: "StepForm", f: Field, data, files):
        raise NotImplementedError

    def settle(self, form: "StepForm", f: Field):
        """A shown field that holds nothing usable gets its default."""
        if f.default is not None and c.get_path(form.job, f.path) is None and not f.clears:
            c.set_path(form.job, f.path, f.default)

    def value(self, job: dict, f: Field) -> Any:
        return c.get_path(job, f.path)

    def display(self, value, tz: str) -> str:
        return "" if value is None else str(value)

    def context(self, form: "StepForm", f: Field, value) -> dict:
        return {}

    def summary(self, bound: dict, tz: str) -> str:
        return bound["value"] or "—"

    def held(self, job: dict, f: Field) -> set[str]:
        """The body paths its input holds (what is left is listed as "Other fields")."""
        return {f.path}

    def input_names(self, form: "StepForm", f: Field) -> set[str]:
        """The names of its inputs: where a violation of the contract is shown."""
        return {f.path}

    def asked(self, job: dict, f: Field) -> dict[str, str]:
        """{path: "Label (api)"} of what it asks for: what a deciding change may take out."""
        return {f.path: f"{f.label} ({f.api_name})"}


class TextKind(Kind):
    template = "wizard/kinds/text.html"
    input_type = "text"

    def apply(self, form, f, data, files):
        _set_or_keep_empty(form, f, data.get(f.path, "").replace("\r\n", "\n").strip())

    def context(self, form, f, value):
        return {"input_type": self.input_type}


class TextareaKind(TextKind):
    template = "wizard/kinds/textarea.html"
    wide = True


class IntKind(TextKind):
    input_type = "number"

    def apply(self, form, f, data, files):
        value = data.get(f.path, "").strip()
        if not value:
            form.delete(f.path)
        elif (digits := value.removeprefix("-")).isascii() and digits.isdigit() \
                and len(digits) <= 18:  # "²", "--5" or 5,000 digits: not for int()
            c.set_path(form.job, f.path, int(value))
        else:
            c.set_path(form.job, f.path, value)
            form.add_error(f.path, _("Enter a whole number (at most 18 digits)."))


class DatetimeKind(TextKind):
    """Shown to the minute in the person's time zone; sent as epoch milliseconds (R-05)."""

    input_type = "datetime-local"

    def apply(self, form, f, data, files):
        value = data.get(f.path, "").strip()
        if value == self.display(c.get_path(form.job, f.path), form.tz):
            return  # shown to the minute, or not at all: what is stored (its ms) stays
        if not value:
            form.delete(f.path)
            return
        try:
            local = datetime.fromisoformat(value).replace(tzinfo=zone(form.tz))
        except ValueError:
            form.add_error(f.path, _("Enter a date and time."))
            return
        c.set_path(form.job, f.path, str(int(local.timestamp() * 1000)))

    def display(self, value, tz):
        if value is None:
            return ""
        try:
            moment = datetime.fromtimestamp(int(value) / 1000, tz=UTC).astimezone(zone(tz))
        except (TypeError, ValueError, OverflowError, OSError):
            return ""
        return moment.strftime("%Y-%m-%dT%H:%M")

    def summary(self, bound, tz):
        return bound["value"].replace("T", " ") + f" ({tz})" if bound["value"] else "—"


class ChoiceKind(Kind):
    template = "wizard/kinds/choice.html"

    def values(self, f: Field, job: dict) -> list:
        return [v for v, _ in f.choices(job)] if f.choices else []

    def store(self, job: dict, f: Field, value):
        c.set_path(job, f.path, value)

    def apply(self, form, f, data, files):
        value = data.get(f.path, "")
        by_str = {str(v): v for v in self.values(f, form.job)}
        if value == "" and "" in by_str:
            form.delete(f.path)
        elif value in by_str:
            self.store(form.job, f, by_str[value])
        else:  # offered before a deciding field changed (9 months, then yearly): settled anew
            form.delete(f.path)
            if not form.rerender:  # Next or Save: say so, the value is not what was picked
                form.add_error(f.path, _("“%(value)s” is not offered with the choices above; "
                                         "the first value offered is selected now. Check it.")
                               % {"value": value})
            elif value:  # the change itself: said beside the form, not as an error
                form.notes.append(_("%(field)s was reset: “%(value)s” is not offered with "
                                    "your change.") % {"field": f.label,
                                                       "value": value_label(value)})

    def settle(self, form, f):
        """What it holds if offered, else its default if offered, else the first offered."""
        values = self.values(f, form.job)
        current = self.value(form.job, f)
        if current in values or (current is None and "" in values):
            return
        pick = f.default if f.default in values else (values[0] if values else None)
        if pick not in (None, ""):
            self.store(form.job, f, pick)

    def context(self, form, f, value):
        current = str(value if value is not None else "")
        return {"choices": [(str(v), label, str(v) == current) for v, label in f.choices(form.job)]}

    def label_of(self, value: str) -> str:
        return value_label(value)

    def summary(self, bound, tz):
        return chosen_label(bound["choices"], bound["value"], self.label_of)


class ScenarioKind(ChoiceKind):
    """One choice setting two values: job_type and engine_type."""

    wide = True  # its labels are long: a half-width select cuts them off

    def value(self, job, f):
        jt, en = c.get_path(job, "base_info.job_type"), c.get_path(job, "base_info.engine_type")
        return f"{jt}:{en}" if jt and en else ""

    def store(self, job, f, value):
        jt, en = value.split(":", 1)
        c.set_path(job, "base_info.job_type", jt)
        c.set_path(job, "base_info.engine_type", en)

    def apply(self, form, f, data, files):
        value = data.get(f.path, "")
        if value in self.values(f, form.job):
            self.store(form.job, f, value)
        else:
            form.add_error(f.path, _("Choose a scenario."))

    def label_of(self, value):
        job_type, _colon, engine_type = value.partition(":")
        return scenario_label(job_type, engine_type)

    def held(self, job, f):
        return {f.path, "base_info.job_type"}


class BoolKind(Kind):
    """A checkbox: true when ticked. Unticked as it was rendered keeps the stored false or
    absence; `clears` or `omit_false` leave it out."""

    template = "wizard/kinds/bool.html"

    def apply(self, form, f, data, files):
        on = data.get(f.path) in ("on", "true", "1")
        stored = c.get_path(form.job, f.path)
        if not on and not (stored is True or (stored is None and f.default is True)):
            pass  # unticked as it was rendered: absent stays absent, false stays false
        elif not on and f.clears:
            form.delete(f.clears)
        elif not on and f.omit_false:
            form.delete(f.path)
        else:
            c.set_path(form.job, f.path, on)

    def summary(self, bound, tz):
        return _("Yes") if bound["checked"] else _("No")


class Bool01Kind(BoolKind):
    """A checkbox the API reads as 1 or 0, always sent."""

    def apply(self, form, f, data, files):
        c.set_path(form.job, f.path, 1 if data.get(f.path) in ("on", "true", "1") else 0)


class SecretKind(Kind):
    """A password: kept beside the body; an empty post keeps the stored one."""

    template = "wizard/kinds/secret.html"
    secret = True

    def apply(self, form, f, data, files):
        value = data.get(f.path, "")
        if value:
            form.secrets[f.path] = value

    def summary(self, bound, tz):
        return c.MASK if bound["is_set"] else "—"


class CertKind(SecretKind):
    """A certificate file: its content kept beside the body as base64 (R-32), its name and
    checksum set in the body."""

    template = "wizard/kinds/cert.html"

    def apply(self, form, f, data, files):
        upload = files.get(f.path) if files else None
        if upload is None:
            return
        if upload.size > MAX_CERT_BYTES:
            form.add_error(f.path, _("The certificate file is larger than 256 KB."))
            return
        content = upload.read()
        ssl = f.path.rsplit(".", 1)[0]
        form.secrets[f.path] = base64.b64encode(content).decode()
        c.set_path(form.job, f"{ssl}.ssl_cert_name", upload.name)
        c.set_path(form.job, f"{ssl}.ssl_cert_check_sum", hashlib.sha256(content).hexdigest())


class ListKind(Kind):
    """A comma-separated string, one input per item (`path.0`, `path.1` …)."""

    template = "wizard/kinds/list.html"

    def items(self, job: dict, f: Field, trimmed: bool = False) -> list[str]:
        raw = c.get_path(job, f.path)
        values = str(raw).split(",") if isinstance(raw, str) and raw else []
        return [v.strip() for v in values if v.strip()] if trimmed else values

    def apply(self, form, f, data, files):
        values = [data.get(f"{f.path}.{i}", "").strip() for i in range(f.max_rows)
                  if form.removing != (f.path, i)]
        values = [v for v in values if v]
        if values == self.items(form.job, f, trimmed=True):
            return  # as rendered: the stored spelling ("a, b") stays
        _set_or_keep_empty(form, f, ",".join(values))

    def context(self, form, f, value):
        job = form.job
        values = self.items(job, f)
        count = max(len(values) + form.extra_rows.get(f.path, 0),
                    f.min_rows(job) if f.min_rows else 0)
        count = min(max(count, 1), f.max_rows)
        values += [""] * (count - len(values))
        fixed = bool(f.min_rows and f.path.endswith("zone"))  # as many as the instance type
        return {
            "rows": [{"index": i, "name": f"{f.path}.{i}", "id": f"{f.html_id}-{i}", "value": v,
                      "errors": form.errors.get(f"{f.path}.{i}", [])}
                     for i, v in enumerate(values)],
            "can_add": count < f.max_rows and not fixed,
            "full": count >= f.max_rows and not fixed,
            "can_remove": count > 1 and not fixed,
        }

    def input_names(self, form, f):
        return {f.path} | {f"{f.path}.{i}" for i in range(f.max_rows)}


class RowsKind(Kind):
    """A list of objects, one line of cells (`path.<n>.<subfield>`) per object. A row's
    secrets live beside the body under the row's index and move with it."""

    template = "wizard/kinds/rows.html"
    wide = True

    def posted_rows(self, f: Field, data=None, job=None) -> list[dict]:
        """Its non-secret cells, as posted (`data`) or as stored (`job`)."""
        plain = [s.path for s in f.subfields if not KINDS[s.kind].secret]
        if job is not None:
            return [{p: str(r.get(p, "")) for p in plain} for r in rows_of(job, f)]
        rows = [{p: data.get(f"{f.path}.{i}.{p}", "").strip() for p in plain}
                for i in range(f.max_rows)]
        return [r for r in rows if any(r.values())]

    def apply(self, form, f, data, files):
        path, job = f.path, form.job
        old = pop_secrets_under(form.secrets, path)
        stored_rows = rows_of(job, f)
        if not form.rows_match_stored and self.posted_rows(f, data) != self.posted_rows(
                f, job=job):
            old, stored_rows = {}, []  # other rows than the stored: not attached to wrong rows
        by_path = {s.path: s for s in f.subfields}
        rows, row_secrets = [], {}
        for i in range(f.max_rows):
            if form.removing == (path, i):
                continue
            row, typed = {}, {}
            stored_row = stored_rows[i] if i < len(stored_rows) else {}
            for s in f.subfields:
                name = f"{path}.{i}.{s.path}"
                if KINDS[s.kind].secret:
                    value = data.get(name, "") or old.get(name, "")
                    if value:
                        typed[s.path] = value
                else:
                    row[s.path] = as_posted(stored_row.get(s.path), data.get(name, "").strip())
            if any(row.values()) or typed:
                row_secrets.update(
                    {f"{path}.{len(rows)}.{key}": v for key, v in typed.items()})
                # Keys no cell holds stay with their row; an empty cell is sent empty where
                # the row held it so, or where a new row must say it (R-04: a tag's value).
                rows.append({k: v for k, v in stored_row.items() if k not in by_path} | {
                    k: v for k, v in row.items() if v or stored_row.get(k) == ""
                    or (by_path[k].keep_empty and (k in stored_row or not stored_row))})
        form.secrets.update(row_secrets)
        if rows:
            c.set_path(job, path, rows)
        elif c.get_path(job, path) != []:  # an empty list as imported stays
            form.delete(path)

    def context(self, form, f, value):
        rows = rows_of(form.job, f)
        count = min(len(rows) + form.extra_rows.get(f.path, 0), f.max_rows)
        rows = rows + [{}] * (count - len(rows))
        return {
            "rows": [{"index": i, "cells": [self._cell(form, f, s, i, row) for s in f.subfields]}
                     for i, row in enumerate(rows)],
            "can_add": count < f.max_rows,
            "full": count >= f.max_rows,
            "can_remove": True,
            "grouped": len(f.subfields) > 3,  # a shard's many cells wrap: one box per row
        }

    def _cell(self, form, f: Field, s: Field, index: int, row: dict) -> dict:
        name = f"{f.path}.{index}.{s.path}"
        secret = KINDS[s.kind].secret
        value = "" if secret else str(row.get(s.path, ""))
        cell = {"name": name, "id": f"{f.html_id}-{index}-{s.path}", "label": s.label,
                "api": s.path, "value": value, "errors": form.errors.get(name, []),
                "secret": secret, "is_set": name in form.secrets}
        if s.choices:
            cell["choices"] = [(str(v), label, str(v) == value) for v, label in s.choices(form.job)]
        return cell

    def summary(self, bound, tz):
        """A tag as key=value; a row of other cells as their values, a choice by its label."""
        shown = []
        for r in bound["rows"]:
            cells = {cell["api"]: cell for cell in r["cells"]}
            if cells.keys() == {"key", "value"}:
                if cells["key"]["value"] or cells["value"]["value"]:
                    shown.append(f'{cells["key"]["value"]}={cells["value"]["value"]}')
                continue
            shown.append(", ".join(
                c.MASK if cell["is_set"] else chosen_label(cell["choices"], cell["value"])
                if "choices" in cell else cell["value"]
                for cell in r["cells"] if cell["value"] or cell["is_set"]))
        return "; ".join(s for s in shown if s) or "—"

    def held(self, job, f):
        rows = rows_of(job, f)
        if not rows:
            return {f.path}
        # A row's keys no cell holds are listed ("Other fields") and removable one by one.
        held = set()
        for i in range(len(rows)):
            held.update(f"{f.path}.{i}.{s.path}" for s in f.subfields)
            held.add(f"{f.path}.{i}.endpoint_name")  # a shard's, derived
        return held

    def input_names(self, form, f):
        count = max(len(rows_of(form.job, f)), 1) + form.extra_rows.get(f.path, 0)
        return {f.path} | {f"{f.path}.{i}.{s.path}" for i in range(count) for s in f.subfields}

    def asked(self, job, f):
        return super().asked(job, f) | {
            f"{f.path}.{i}.{s.path}": f"{f.label} {i + 1} {s.label} ({s.path})"
            for i in range(len(rows_of(job, f))) for s in f.subfields}


KINDS: dict[str, Kind] = {
    "text": TextKind(),
    "textarea": TextareaKind(),
    "int": IntKind(),
    "datetime": DatetimeKind(),
    "choice": ChoiceKind(),
    "scenario": ScenarioKind(),
    "bool": BoolKind(),
    "bool01": Bool01Kind(),
    "secret": SecretKind(),
    "cert": CertKind(),
    "list": ListKind(),
    "rows": RowsKind(),
}


def kind_of(f: Field) -> Kind:
    return KINDS[f.kind]
