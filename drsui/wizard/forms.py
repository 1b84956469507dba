"""A step's form, read off the field table: apply a POST to the body, validate, render.

`step_apply` turns posted strings into API values at their body paths (hidden fields are taken
out of the body), `step_validate` runs the contract on the whole body and keeps what this step
owns, and `step_render` gives the template one plain dict per field. What differs from one kind
of input to another (how it reads its post, shows its value, renders) is its kind's, in kinds.py.
"""

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext
from django.views.decorators.debug import sensitive_variables

from drsui import contract as c
from drsui.contract import body_for_validation, derive

from . import fields as table
from . import wording
from .actions import SAVE, StepAction
from .fields import FIELDS, Field, fields_of, visible_fields
from .kinds import kind_of, pop_secrets_under
from .kinds import zone as zone  # views read the person's time zone here
from .prefill import copy_target_vpc, prefill_from_project, prefills
from .steps import step_for_path

GROUP_TITLES = {
    "": "",
    "tags": gettext_lazy("Tags"),
    "cloud": gettext_lazy("Region and project"),
    "vpc": "VPC",
    "ssl": "SSL",
    "dns": gettext_lazy("Custom DNS"),
    "eip": gettext_lazy("Public IPs"),
    "shards": gettext_lazy("Physical source shards (advanced)"),
    "zone": gettext_lazy("Instance placement"),
    "more": gettext_lazy("More fields"),
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
    # (label, why) of each value the person's change removed: named on the page
    # (removed_message); why: (a key of REMOVED_BECAUSE, its values as (name, text) pairs).
    removed: list[tuple[str, tuple]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the person's change reset, said
    extra_rows: dict[str, int] = field(default_factory=dict)  # "Add": empty rows to show
    removing: tuple[str, int] | None = None  # "Remove": (rows or list path, posted index)
    # The posted rows are numbered as the stored ones, so row n's stored password is row n's;
    # not necessarily so in a form older than the draft (another tab saved since).
    rows_match_stored: bool = True
    rerender: bool = False  # a deciding field changed, a row added or removed (not Next/Save)
    dropped: str = ""  # the path "Remove it" removed
    help_replaced: set[str] = field(default_factory=set)  # inputs whose error replaces the help
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

    def delete(self, path: str):
        """Take `path` out of the body with the secrets stored under it, and the objects its
        removal leaves empty (never a list item's): a secret never outlives its object."""
        pop_secrets_under(self.secrets, path)
        if not c.delete_path(self.job, path):
            return
        while "." in path:
            path = path.rpartition(".")[0]
            if c.get_path(self.job, path) != {} or path.rpartition(".")[2].isdigit():
                return
            c.delete_path(self.job, path)
            pop_secrets_under(self.secrets, path)

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


# --- applying a POST --------------------------------------------------------------------------


@sensitive_variables()
def step_apply(*, step: str, job: dict, secrets: dict, data, files=None, tz="UTC",
               action: StepAction = SAVE,
               rows_match_stored: bool = True, project: dict | None = None) -> StepForm:
    """Apply posted values of `step` to a copy of `job`. Fields are visited in table order,
    so a deciding field is set before the fields it shows or hides are judged.

    `action` "add:<path>" shows one more empty row of a rows or list field; "remove:<path>.<n>"
    leaves out the n-th posted row (the passwords of the rows after it move up with them).
    `project`: the draft's cloud project's values, for the inputs it prefills (prefill.py)."""
    form = StepForm(step=step, job=c.copy_json(job), secrets=dict(secrets), tz=tz,
                    rows_match_stored=rows_match_stored)
    data, with_nul = _without_nul(data)
    form.rerender = action.rerenders
    if action.verb == "add":  # the empty rows shown stay, and one more
        form.extra_rows[action.arg] = 1 + _empty_rows_posted(data, action.arg)
    form.removing = action.row_removed
    present = set(data.getlist("_present")) if hasattr(data, "getlist") else set()
    for f in fields_of(step):
        if not f.shown(form.job):
            continue
        if f.path in present:
            kind_of(f).apply(form, f, data, files)
        if f.when(form.job):
            kind_of(f).settle(form, f)
    if action.verb == "same_as_target" and step == "network":
        copy_target_vpc(form.job)
    if project and prefills(step):
        _prefill_as_sent(form, job, present, project)
    derive(form.job)
    # What the person still sees and sent stays, even where the console no longer asks for it
    # (a host kept under More fields after the database moved into the cloud).
    _remove_no_longer_asked(form, job, keep={
        f.path for f in visible_fields(step, form.job) if f.path in present})
    if action.verb == "drop":
        _drop_other(form, action.arg)
    for name in with_nul:  # said on the field taking the value (a row's field for its cells)
        if owner := _nearest(name, {f.path for f in visible_fields(step, form.job)} & present):
            form.add_error(owner, str(NUL_MESSAGE))
    return form


def _prefill_as_sent(form: StepForm, stored_job: dict, present: set[str], project: dict):
    """Prefill what this post newly asks for (a location changed to cloud); an input the page
    asked for (a GET of `stored_job` shows) and the person sent empty stays empty."""
    shown = step_prepare(step=form.step, job=stored_job, secrets={}, tz=form.tz).job
    prefill_from_project(form, project, as_sent=frozenset(
        f.path for f in fields_of(form.step) if f.path in present and f.when(shown)))


NUL_MESSAGE = gettext_lazy("This held a NUL character (\\x00), which cannot be stored: it was "
                           "removed. Check the value.")


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


def _empty_rows_posted(data, path: str) -> int:
    """How many rows of the rows or list field `path` were posted with nothing typed in them
    (`path.<n>` or `path.<n>.<cell>`)."""
    filled: dict[str, bool] = {}
    for name in data:
        index, _dot, _rest = name.removeprefix(path + ".").partition(".")
        if name.startswith(path + ".") and index.isdigit():
            typed = any(v.strip() for v in data.getlist(name)) if hasattr(data, "getlist") \
                else bool(str(data[name]).strip())
            filled[index] = filled.get(index, False) or typed
    return sum(not typed for typed in filled.values())


def _asked(job: dict) -> dict[str, str]:
    """{path: "Label (api)"} of every value the wizard asks for with these choices, on any
    step; a rows field counts per cell of the rows the body holds."""
    asked = {}
    for f in FIELDS:
        if f.when(job):
            asked.update(kind_of(f).asked(job, f))
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
            form.delete(path)
            form.removed.append((label, _not_used_for(form, stored_job, path)))


# Why a change took values out, one whole sentence each: %(fields)s names the values.
REMOVED_BECAUSE = {
    "for": gettext_noop("Removed: %(fields)s, not used for %(value)s."),
    "with": gettext_noop("Removed: %(fields)s, not used with %(field)s: %(value)s."),
    "": gettext_noop("Removed: %(fields)s, no longer asked for."),
}


def removed_message(removed: list[tuple[str, tuple]]) -> str:
    """What a change removed, one sentence per reason: "Removed: Service name (db_name), not
    used for MySQL."."""
    by_why: dict[tuple, list[str]] = {}
    for label, why in removed:
        by_why.setdefault(why, []).append(label)
    separator = pgettext("between the names of a list", ", ")
    return " ".join(_(REMOVED_BECAUSE[reason]) % {"fields": separator.join(labels), **dict(values)}
                    for (reason, values), labels in by_why.items())


def _not_used_for(form: StepForm, before: dict, path: str) -> tuple:
    """Why the change took `path` out, as the person chose it: "not used for MySQL" (its
    side's database or location, else the scenario), else the deciding field that changed.
    A reason of REMOVED_BECAUSE and its values, said in the person's language now."""
    side = next((s for s, prefix in table.SIDES.items() if path.startswith(prefix + ".")), None)
    facts = [lambda j: table.db_type(j, side), lambda j: table.endpoint_type(j, side)] \
        if side else []
    for read in facts + [table.job_type, table.engine]:
        now = read(form.job)
        if now is not None and read(before) != now:
            return "for", (("value", table.value_label(now)),)
    for f in FIELDS:
        if f.decides and f.shown(form.job) and \
                c.get_path(before, f.path) != c.get_path(form.job, f.path):
            return "with", (("field", str(f.label)),
                            ("value", str(kind_of(f).summary(_bound(form, f), form.tz))))
    return "", ()


def step_prepare(*, step: str, job: dict, secrets: dict, tz="UTC",
                 project: dict | None = None) -> StepForm:
    """The form for a GET: the stored body with defaults settled for what this step asks,
    and what `project` (the draft's cloud project's values) prefills."""
    form = StepForm(step=step, job=c.copy_json(job), secrets=dict(secrets), tz=tz)
    for f in fields_of(step):
        if f.when(form.job):
            kind_of(f).settle(form, f)
    prefill_from_project(form, project or {})
    derive(form.job)
    return form


# --- what no input holds ----------------------------------------------------------------------
def _held(form: StepForm) -> set[str]:
    """Paths an input of this step holds, or drsui derives (R-20…R-23)."""
    held = {f"{side}_endpoint.0.{d}" for side in ("source", "target") for d in DERIVED}
    for f in visible_fields(form.step, form.job):
        held |= kind_of(f).held(form.job, f)
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
    parent, _dot, last = path.rpartition(".")
    items = c.get_path(job, parent) if parent else None
    return not (isinstance(items, list) and last.isdigit() and int(last) != len(items) - 1)


def _drop_other(form: StepForm, path: str):
    """The Remove button beside a value no input holds."""
    if any(o["path"] == path and o["removable"] for o in step_others(form)):
        form.delete(path)
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
    parsed = set(form.errors)
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
            where = v.path or _("body")
            form.non_field_errors.append(f"{v.message} ({v.rule}, {where})")
        elif target not in parsed:  # a parse error on the same input says it better
            held = c.get_path(form.masked_body()["job"], v.path) if v.path == target else ""
            message, replaces_help = wording.on_form(_field_at(form, target), v.rule, v.message,
                                                  held)
            form.add_error(target, message)
            if replaces_help:
                form.help_replaced.add(target)


def _field_at(form: StepForm, name: str) -> Field | None:
    """The field (a rows field's cell) whose input is `name`: `path`, `path.<n>` or
    `path.<n>.<cell>`."""
    for f in visible_fields(form.step, form.job):
        if name == f.path:
            return f
        index, _dot, cell = name.removeprefix(f.path + ".").partition(".")
        if name.startswith(f.path + ".") and index.isdigit():
            return next((s for s in f.subfields if s.path == cell), f)
    return None


def step_refused(form: StepForm, path: str, message: str):
    """DRS's refusal of the field at `path` (a submission's error), on the input holding it."""
    target = _nearest(path, _input_names(form))
    if target is None:
        form.non_field_errors.append(f"{message} ({path})")
    else:
        form.add_error(target, message)


def _nearest(path: str, names: set[str]) -> str | None:
    while path:
        if path in names:
            return path
        path = path.rpartition(".")[0]
    return None


def _input_names(form: StepForm) -> set[str]:
    names = set()
    for f in visible_fields(form.step, form.job):
        names |= kind_of(f).input_names(form, f)
    return names


# --- rendering --------------------------------------------------------------------------------
def _bound(form: StepForm, f: Field) -> dict:
    """What the template needs of one field: the same keys for every kind, and its kind's."""
    kind = kind_of(f)
    value = kind.value(form.job, f)
    return {
        "f": f,
        "name": f.path,
        "id": f.html_id,
        "label": f.label,
        "api": f.api_name,
        "help": "" if _help_replaced(form, f) else f.help(form.job) if callable(f.help) else f.help,
        "template": kind.template,
        "wide": kind.wide,
        "secret": kind.secret,
        "decides": f.decides,
        "readonly": f.readonly,
        "errors": form.errors.get(f.path, []),
        "value": kind.display(value, form.tz),
        "checked": value in (True, 1),
        "is_set": f.path in form.secrets,
        "attrs": f.attrs,
        "placeholder": f.placeholder,
    } | kind.context(form, f, value)


def _help_replaced(form: StepForm, f: Field) -> bool:
    """An error under it states the limit its help states: the help is not said twice."""
    return any(n == f.path or n.startswith(f.path + ".") for n in form.help_replaced)


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
        shown = kind_of(f).summary(_bound(form, f), tz)
        rows.append((f.label, f.api_name, shown))
    rows += [(_("Other field"), o["path"], o["value"]) for o in step_others(form)]
    return rows
