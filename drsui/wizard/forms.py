"""A step's form, read off the field table: apply a POST to the body, validate, render.

`step_apply` turns posted strings into API values at their body paths (hidden fields are taken
out of the body), `step_validate` runs the contract on the whole body and keeps what this step
owns, and `step_render` gives the template one plain dict per field.
"""

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.views.decorators.debug import sensitive_variables

from drsui import contract as c
from drsui.contract import body_for_validation, derive

from .actions import SAVE, StepAction
from .fields import FIELDS, Field, fields_of, visible_fields
from .steps import step_for_path

MAX_CERT_BYTES = 256 * 1024
GROUP_TITLES = {
    "": "",
    "tags": "Tags",
    "cloud": "Region and project",
    "vpc": "VPC",
    "ssl": "SSL",
    "dns": "Custom DNS",
    "eip": "Public IPs",
    "shards": "Physical source shards (advanced)",
    "zone": "Instance placement",
    "more": "More fields",
}
# Collapsed until they hold a value or an error.
OPTIONAL_GROUPS = {"tags", "ssl", "dns", "eip", "shards", "more"}
# Set by drsui from other choices, never typed (R-20…R-23): no input holds them.
DERIVED = ("db_type", "endpoint_role", "endpoint.endpoint_name")


@dataclass
class StepForm:
    step: str
    job: dict
    secrets: dict = field(repr=False)  # {path: value}: stored plus any typed in this request
    tz: str = "UTC"
    errors: dict[str, list[str]] = field(default_factory=dict)  # input name -> messages
    non_field_errors: list[str] = field(default_factory=list)
    # What the body holds at this step that no input holds: kept as it is, shown with a
    # Remove button; {path, value, messages}: messages are violations, which block Next.
    others: list[dict] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # named: the person's change removed them
    extra_rows: dict[str, int] = field(default_factory=dict)  # "Add": one more empty row
    removing: tuple[str, int] | None = None  # "Remove": (rows or list path, posted index)
    # The posted rows are numbered as the stored ones, so row n's stored password is row n's;
    # not necessarily so in a form older than the draft (another tab saved since).
    rows_match_stored: bool = True
    rerender: bool = False  # a deciding field changed, a row added or removed (not Next/Save)
    dropped: str = ""  # the path "Remove it" removed
    _masked: dict | None = field(default=None, repr=False)
    _violations: list | None = field(default=None, repr=False)

    @property
    def blocking_others(self) -> list[dict]:
        return [o for o in self.others if o["messages"]]

    @property
    def is_valid(self) -> bool:
        return not self.errors and not self.non_field_errors and not self.blocking_others

    def add_error(self, name: str, message: str):
        msgs = self.errors.setdefault(name, [])
        if message not in msgs:
            msgs.append(message)

    def body(self) -> dict:
        return {"job": self.job}

    def masked_body(self) -> dict:
        """The body with each stored secret as ******: what the JSON panel shows and what is
        validated. Built once: nothing changes `job` or `secrets` after step_apply or
        step_prepare, which come first."""
        if self._masked is None:
            self._masked = body_for_validation(self.job, self.secrets)
        return self._masked

    def violations(self) -> list:
        """The contract's verdict on the whole body as it stands (computed once)."""
        if self._violations is None:
            self._violations = c.validate_now(self.masked_body())
        return self._violations


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _choice_values(f: Field, job: dict) -> list:
    return [v for v, _ in f.choices(job)] if f.choices else []


def _scenario_value(job) -> str:
    jt, en = c.get_path(job, "base_info.job_type"), c.get_path(job, "base_info.engine_type")
    return f"{jt}:{en}" if jt and en else ""


def _posted_rows(f: Field, data=None, job=None) -> list[dict]:
    """A rows field's non-secret cells, as posted (`data`) or as stored (`job`)."""
    plain = [s.path for s in f.subfields if s.kind != "secret"]
    if job is not None:
        return [{p: str(r.get(p, "")) for p in plain} for r in _rows(job, f)]
    rows = [{p: data.get(f"{f.path}.{i}.{p}", "").strip() for p in plain}
            for i in range(f.max_rows)]
    return [r for r in rows if any(r.values())]


def _pop_secrets_under(secrets: dict, path: str) -> dict:
    """Remove and return the secrets stored at or below `path`."""
    return {k: secrets.pop(k) for k in list(secrets) if k == path or k.startswith(path + ".")}


def _delete(form: StepForm, path: str):
    """Take `path` out of the body with the secrets stored under it, and the objects its
    removal leaves empty (never a list item's): a secret never outlives its object."""
    _pop_secrets_under(form.secrets, path)
    if not c.delete_path(form.job, path):
        return
    while "." in path:
        path = path.rpartition(".")[0]
        if c.get_path(form.job, path) != {} or path.rpartition(".")[2].isdigit():
            return
        c.delete_path(form.job, path)
        _pop_secrets_under(form.secrets, path)


def _as_posted(stored, posted: str):
    """Posting what was rendered changes nothing: the stored text stays when the post is it
    trimmed (inputs are trimmed; a browser sends a textarea's line breaks as CRLF)."""
    if isinstance(stored, str) and stored.replace("\r\n", "\n").strip() == posted:
        return stored
    return posted


def _set_or_keep_empty(form: StepForm, f: Field, value: str):
    """An empty post deletes the field, unless the body held it empty."""
    value = _as_posted(c.get_path(form.job, f.path), value)
    if value or f.keep_empty:
        c.set_path(form.job, f.path, value)
    elif c.get_path(form.job, f.path) != "":
        _delete(form, f.path)


def _list_values(job, f: Field, trimmed: bool = False) -> list[str]:
    raw = c.get_path(job, f.path)
    values = str(raw).split(",") if isinstance(raw, str) and raw else []
    return [v.strip() for v in values if v.strip()] if trimmed else values


def _rows(job, f: Field) -> list[dict]:
    raw = c.get_path(job, f.path)
    return [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []


# --- applying a POST --------------------------------------------------------------------------
@sensitive_variables()
def _apply_one(form: StepForm, f: Field, data, files):
    job, path = form.job, f.path
    kind = f.kind
    if kind == "scenario":
        value = data.get(path, "")
        if value in _choice_values(f, job):
            jt, en = value.split(":", 1)
            c.set_path(job, "base_info.job_type", jt)
            c.set_path(job, "base_info.engine_type", en)
        else:
            form.add_error(path, "Choose a scenario.")
    elif kind in ("text", "textarea"):
        _set_or_keep_empty(form, f, data.get(path, "").replace("\r\n", "\n").strip())
    elif kind == "int":
        value = data.get(path, "").strip()
        if not value:
            _delete(form, path)
        elif value.lstrip("-").isdigit():
            c.set_path(job, path, int(value))
        else:
            c.set_path(job, path, value)
            form.add_error(path, "Enter a whole number.")
    elif kind == "choice":
        value = data.get(path, "")
        by_str = {str(v): v for v in _choice_values(f, job)}
        if value == "" and "" in by_str:
            _delete(form, path)
        elif value in by_str:
            c.set_path(job, path, by_str[value])
        else:  # offered before a deciding field changed (9 months, then yearly): settled anew
            _delete(form, path)
            if not form.rerender:  # Next or Save: say so, the value is not what was picked
                form.add_error(path, f"“{value}” is not offered with the choices above; the "
                                     "first value offered is selected now. Check it.")
    elif kind in ("bool", "bool01"):
        on = data.get(path) in ("on", "true", "1")
        stored = c.get_path(job, path)
        if kind == "bool01":
            c.set_path(job, path, 1 if on else 0)
        elif not on and not (stored is True or (stored is None and f.default is True)):
            pass  # unticked as it was rendered: absent stays absent, false stays false
        elif not on and f.clears:
            _delete(form, f.clears)
        elif not on and f.omit_false:
            _delete(form, path)
        else:
            c.set_path(job, path, on)
    elif kind == "secret":
        value = data.get(path, "")
        if value:
            form.secrets[path] = value
    elif kind == "datetime":
        value = data.get(path, "").strip()
        if value == _display(f, c.get_path(job, path), job, form.tz):
            return  # shown to the minute, or not at all: what is stored stays
        if not value:
            _delete(form, path)
            return
        try:
            local = datetime.fromisoformat(value).replace(tzinfo=zone(form.tz))
        except ValueError:
            form.add_error(path, "Enter a date and time.")
            return
        c.set_path(job, path, str(int(local.timestamp() * 1000)))
    elif kind == "list":
        values = [data.get(f"{path}.{i}", "").strip() for i in range(f.max_rows)
                  if form.removing != (path, i)]
        values = [v for v in values if v]
        if values == _list_values(job, f, trimmed=True):
            return  # as rendered: the stored spelling ("a, b") stays
        _set_or_keep_empty(form, f, ",".join(values))
    elif kind == "rows":
        # A row's secrets live beside the body under the row's index: renumber them with it.
        old = _pop_secrets_under(form.secrets, path)
        stored_rows = _rows(job, f)
        if not form.rows_match_stored and _posted_rows(f, data) != _posted_rows(f, job=job):
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
                if s.kind == "secret":
                    value = data.get(name, "") or old.get(name, "")
                    if value:
                        typed[s.path] = value
                else:
                    row[s.path] = _as_posted(stored_row.get(s.path),
                                             data.get(name, "").strip())
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
            _delete(form, path)
    elif kind == "cert":
        upload = files.get(path) if files else None
        if upload is None:
            return
        if upload.size > MAX_CERT_BYTES:
            form.add_error(path, "The certificate file is larger than 256 KB.")
            return
        content = upload.read()
        ssl = path.rsplit(".", 1)[0]
        form.secrets[path] = base64.b64encode(content).decode()
        c.set_path(job, f"{ssl}.ssl_cert_name", upload.name)
        c.set_path(job, f"{ssl}.ssl_cert_check_sum", hashlib.sha256(content).hexdigest())


def _settle(form: StepForm, f: Field):
    """A shown field that holds nothing usable gets its default, or the only valid choice."""
    job = form.job
    if f.kind in ("choice", "scenario"):
        values = _choice_values(f, job)
        current = _scenario_value(job) if f.kind == "scenario" else c.get_path(job, f.path)
        if current in values or (current is None and "" in values):
            return
        pick = f.default if f.default in values else (values[0] if values else None)
        if f.kind == "scenario" and pick:
            jt, en = pick.split(":", 1)
            c.set_path(job, "base_info.job_type", jt)
            c.set_path(job, "base_info.engine_type", en)
        elif pick not in (None, ""):
            c.set_path(job, f.path, pick)
    elif f.default is not None and c.get_path(job, f.path) is None and not f.clears:
        c.set_path(job, f.path, f.default)


def engine_of(job):
    return c.get_path(job, "base_info.engine_type")


@sensitive_variables()
def step_apply(*, step: str, job: dict, secrets: dict, data, files=None, tz="UTC",
               action: StepAction = SAVE,
               rows_match_stored: bool = True) -> StepForm:
    """Apply posted values of `step` to a copy of `job`. Fields are visited in table order,
    so a deciding field is set before the fields it shows or hides are judged.

    `action` "add:<path>" shows one more empty row of a rows or list field; "remove:<path>.<n>"
    leaves out the n-th posted row (the passwords of the rows after it move up with them)."""
    form = StepForm(step=step, job=c.copy_json(job), secrets=dict(secrets), tz=tz,
                    rows_match_stored=rows_match_stored)
    data, with_nul = _without_nul(data)
    form.rerender = action.rerenders
    if action.verb == "add":
        form.extra_rows[action.arg] = 1
    form.removing = action.row_removed
    present = set(data.getlist("_present")) if hasattr(data, "getlist") else set()
    for f in fields_of(step):
        if not f.shown(form.job):
            continue
        if f.path in present:
            _apply_one(form, f, data, files)
        if f.when(form.job):
            _settle(form, f)
    derive(form.job)
    # What the person still sees and sent stays, even where the console no longer asks for it
    # (a host kept under More fields after the database moved into the cloud).
    _remove_no_longer_asked(form, job, keep={
        f.path for f in visible_fields(step, form.job) if f.path in present})
    if action.verb == "drop":
        _drop_other(form, action.arg)
    for name in with_nul:  # said on the field taking the value (a row's field for its cells)
        if owner := _nearest(name, {f.path for f in visible_fields(step, form.job)} & present):
            form.add_error(owner, NUL_MESSAGE)
    return form


NUL_MESSAGE = ("This held a NUL character (\\x00), which cannot be stored: it was removed. "
               "Check the value.")


def _without_nul(data):
    """The posted `data` without NUL characters (PostgreSQL stores none), and the names of the
    inputs that held one."""
    if not hasattr(data, "lists"):
        return data, set()
    names = {name for name, values in data.lists() if any("\x00" in v for v in values)}
    if names:
        data = data.copy()
        for name in names:
            data.setlist(name, [v.replace("\x00", "") for v in data.getlist(name)])
    return data, names




def _asked(job: dict) -> dict[str, str]:
    """{path: "Label (api)"} of every value the wizard asks for with these choices, on any
    step; a rows field counts per cell of the rows the body holds."""
    asked = {}
    for f in FIELDS:
        if not f.when(job):
            continue
        asked[f.path] = f"{f.label} ({f.api_name})"
        if f.kind == "rows":
            for i in range(len(_rows(job, f))):
                asked.update({f"{f.path}.{i}.{s.path}": f"{f.label} {i + 1} {s.label} ({s.path})"
                              for s in f.subfields})
    return asked


def _holds(form: StepForm, path: str) -> bool:
    return c.get_path(form.job, path) is not None or any(
        k == path or k.startswith(path + ".") for k in form.secrets)


def _remove_no_longer_asked(form: StepForm, stored_job: dict, keep: set[str]):
    """A change of a deciding field (here or on another step) takes out what it stopped
    asking for, and names it. What was never asked for (an import's) stays as it is."""
    before, after = _asked(stored_job), _asked(form.job)
    stays = after.keys() | keep
    for path, label in before.items():
        if path not in stays and not any(path.startswith(a + ".") for a in stays) \
                and _holds(form, path):
            _delete(form, path)
            form.removed.append(label)


def step_prepare(*, step: str, job: dict, secrets: dict, tz="UTC") -> StepForm:
    """The form for a GET: the stored body with defaults settled for what this step asks."""
    form = StepForm(step=step, job=c.copy_json(job), secrets=dict(secrets), tz=tz)
    for f in fields_of(step):
        if f.when(form.job):
            _settle(form, f)
    derive(form.job)
    return form


# --- what no input holds ----------------------------------------------------------------------
def _held(form: StepForm) -> set[str]:
    """Paths an input of this step holds, or drsui derives (R-20…R-23)."""
    held = {f"{side}_endpoint.0.{d}" for side in ("source", "target") for d in DERIVED}
    for f in visible_fields(form.step, form.job):
        rows = _rows(form.job, f) if f.kind == "rows" else ()
        if not rows:  # a row's keys no cell holds are listed and removable one by one
            held.add(f.path)
        if f.kind == "scenario":
            held.add("base_info.job_type")
        elif f.kind == "rows":
            for i in range(len(rows)):
                held.update(f"{f.path}.{i}.{s.path}" for s in f.subfields)
                held.add(f"{f.path}.{i}.endpoint_name")  # a shard's, derived
    return held


def step_others(form: StepForm) -> list[dict]:
    """The values of this step's part of the body that no input holds (an import's, a field
    the API takes only as it is, like multi_write false): kept, listed, removable."""
    held = _held(form)
    above = {p.rsplit(".", n)[0] for p in held for n in range(1, p.count(".") + 1)}
    found = []

    def walk(node, path):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            where = f"{path}.{key}" if path else str(key)
            if where in held:
                continue
            if where in above and isinstance(value, dict | list):
                walk(value, where)
            elif step_for_path(where).slug == form.step:
                found.append({"path": where, "value": _compact(value), "messages": [],
                              "removable": _may_drop(form.job, where)})

    walk(form.job, "")
    found += [{"path": path, "value": c.MASK, "messages": [], "removable": True}
              for path in form.secrets  # a secret whose input is gone is still listed
              if path not in held and step_for_path(path).slug == form.step]
    return found


def _compact(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:119] + "…"


def _may_drop(job: dict, path: str) -> bool:
    """Never a list item but the last: the items after it would move away from their
    stored passwords."""
    parent, _, last = path.rpartition(".")
    items = c.get_path(job, parent) if parent else None
    return not (isinstance(items, list) and last.isdigit() and int(last) != len(items) - 1)


def _drop_other(form: StepForm, path: str):
    """The Remove button beside a value no input holds."""
    if any(o["path"] == path and o["removable"] for o in step_others(form)):
        _delete(form, path)
        form._masked = form._violations = None
        form.dropped = path


# --- validating -------------------------------------------------------------------------------
def removable(violation) -> bool:
    """A field the API does not know, or one of the wrong JSON type (R-00), that no step
    holds: the review offers to remove it. Never an item of a list."""
    return (violation.rule == "R-00" and bool(violation.path)
            and not violation.path.rpartition(".")[2].isdigit())


def step_validate(form: StepForm):
    names = _input_names(form)
    form.others = step_others(form)
    for v in form.violations():
        if step_for_path(v.path).slug != form.step:
            continue
        target = _nearest(v.path, names)
        other = next((o for o in form.others if v.path == o["path"]
                      or v.path.startswith(o["path"] + ".")), None)
        if target is None and other is not None:
            other["messages"].append(f"{v.message} ({v.rule})")
        elif target is None:
            form.non_field_errors.append(f"{v.message} ({v.rule}, {v.path or 'body'})")
        elif target not in form.errors:  # a parse error on the same input says it better
            form.add_error(target, v.message)
        elif v.message not in form.errors[target]:
            form.errors[target].append(v.message)


def _nearest(path: str, names: set[str]) -> str | None:
    while path:
        if path in names:
            return path
        path = path.rpartition(".")[0]
    return None


def _input_names(form: StepForm) -> set[str]:
    names = set()
    for f in visible_fields(form.step, form.job):
        names.add(f.path)
        if f.kind == "rows":
            for i in range(max(len(_rows(form.job, f)), 1) + form.extra_rows.get(f.path, 0)):
                names.update(f"{f.path}.{i}.{s.path}" for s in f.subfields)
        elif f.kind == "list":
            names.update(f"{f.path}.{i}" for i in range(f.max_rows))
    return names


# --- rendering --------------------------------------------------------------------------------
def _display(f: Field, value, job, tz) -> str:
    if value is None:
        return ""
    if f.kind == "datetime":
        try:
            moment = datetime.fromtimestamp(int(value) / 1000, tz=UTC).astimezone(zone(tz))
        except (TypeError, ValueError, OverflowError, OSError):
            return ""
        return moment.strftime("%Y-%m-%dT%H:%M")
    return str(value)


def _bound(form: StepForm, f: Field) -> dict:
    job = form.job
    value = _scenario_value(job) if f.kind == "scenario" else c.get_path(job, f.path)
    item = {
        "f": f,
        "name": f.path,
        "id": f.html_id,
        "label": f.label,
        "api": f.api_name,
        "help": f.help(job) if callable(f.help) else f.help,
        "kind": f.kind,
        "decides": f.decides,
        "readonly": f.readonly,
        "errors": form.errors.get(f.path, []),
        "value": _display(f, value, job, form.tz),
        "checked": value in (True, 1),
        "is_set": f.path in form.secrets,
        "attrs": f.attrs,
        "placeholder": f.placeholder,
    }
    if f.choices:
        current = str(value if value is not None else "")
        item["choices"] = [(str(v), label, str(v) == current) for v, label in f.choices(job)]
    if f.kind == "list":
        values = _list_values(job, f)
        count = max(len(values), (f.min_rows(job) if f.min_rows else 0))
        count = min(max(count + form.extra_rows.get(f.path, 0), 1), f.max_rows)
        values += [""] * (count - len(values))
        item["rows"] = [
            {"index": i, "name": f"{f.path}.{i}", "id": f"{f.html_id}-{i}", "value": v,
             "errors": form.errors.get(f"{f.path}.{i}", [])}
            for i, v in enumerate(values)
        ]
        item["can_add"] = count < f.max_rows and not (f.min_rows and f.path.endswith("zone"))
        item["can_remove"] = count > 1 and not (f.min_rows and f.path.endswith("zone"))
    elif f.kind == "rows":
        rows = _rows(job, f)
        count = min(len(rows) + form.extra_rows.get(f.path, 0), f.max_rows)
        rows = rows + [{}] * (count - len(rows))
        item["rows"] = [
            {"index": i, "cells": [_cell(form, f, s, i, row) for s in f.subfields]}
            for i, row in enumerate(rows)
        ]
        item["can_add"] = count < f.max_rows
        item["can_remove"] = True
    return item


def _cell(form: StepForm, f: Field, s: Field, index: int, row: dict) -> dict:
    name = f"{f.path}.{index}.{s.path}"
    value = "" if s.kind == "secret" else str(row.get(s.path, ""))
    cell = {"name": name, "id": f"{f.html_id}-{index}-{s.path}", "label": s.label,
            "api": s.path, "value": value, "errors": form.errors.get(name, []), "kind": s.kind,
            "is_set": name in form.secrets}
    if s.choices:
        cell["choices"] = [(str(v), label, str(v) == value) for v, label in s.choices(form.job)]
    return cell


def step_render(form: StepForm) -> list[dict]:
    """Groups of bound fields, in table order, for the template."""
    groups: dict[str, dict] = {}
    for f in visible_fields(form.step, form.job):
        key = f.group if f.when(form.job) else "more"
        group = groups.setdefault(
            key, {"key": key or "main", "title": GROUP_TITLES.get(key, key),
                  "optional": key in OPTIONAL_GROUPS, "fields": [], "open": False})
        bound = _bound(form, f)
        group["fields"].append(bound)
        has_value = bool(bound["value"]) and bound["value"] not in ("False", "0")
        has_rows = any(r.get("value") or r.get("cells") for r in bound.get("rows", []))
        if bound["errors"] or has_value or bound["checked"] or has_rows or any(
                r.get("errors") for r in bound.get("rows", [])):
            group["open"] = True
    more = groups.pop("more", None)
    return list(groups.values()) + ([more] if more else [])


def summary(job: dict, secrets: dict, step: str, tz="UTC") -> list[tuple[str, str, str]]:
    """(label, api name, shown value) of each field of `step`, for the review page."""
    rows = []
    form = StepForm(step=step, job=job, secrets=secrets, tz=tz)
    for f in visible_fields(step, job):
        if not f.when(job) and c.get_path(job, f.path) is None:
            continue  # a "More fields" input left empty
        bound = _bound(form, f)
        if f.kind == "secret" or f.kind == "cert":
            shown = c.MASK if bound["is_set"] else "—"
        elif f.choices:
            shown = next((label for _, label, sel in bound["choices"] if sel), bound["value"])
        elif f.kind in ("bool", "bool01"):
            shown = "Yes" if bound["checked"] else "No"
        elif f.kind == "rows":
            shown = "; ".join(
                ", ".join(c.MASK if cell["is_set"] else cell["value"] for cell in r["cells"]
                          if cell["value"] or cell["is_set"])
                for r in bound["rows"]) or "—"
        elif f.kind == "datetime" and bound["value"]:
            shown = bound["value"].replace("T", " ") + f" ({tz})"
        else:
            shown = bound["value"] or "—"
        rows.append((f.label, f.api_name, shown))
    rows += [("Other field", o["path"], o["value"]) for o in step_others(form)]
    return rows
