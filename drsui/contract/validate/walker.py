"""The Checker every section uses: the violations found, the values decided elsewhere in the
body, and the key-by-key walk of one object against SHAPE."""

import difflib
from dataclasses import dataclass
from functools import reduce

from ..enums import (
    CHARGING_MODES,
    DB_TYPES,
    ENGINE_TYPES,
    INSTANCE_TYPES,
    JOB_DIRECTIONS,
    JOB_TYPES,
    LABELS,
    NET_TYPES,
)
from ..i18n import _
from ..rules import SCENARIOS, SIDES, directions_for, endpoint_types_for, engine_db_types
from .shape import IS_TYPE, SHAPE, WANT, kind_of

MAX_VIOLATIONS = 200
MAX_MESSAGE = 400
MAX_KEY_IN_PATH = 100


@dataclass(frozen=True)
class Violation:
    path: str
    rule: str
    message: str

    def as_dict(self):
        return {"field": self.path, "rule": self.rule, "message": self.message}


class Full(Exception):
    """Raised once MAX_VIOLATIONS are collected: the rest of the walk is not needed."""


def clip(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def join(path, key):
    segment = clip(key, MAX_KEY_IN_PATH) if isinstance(key, str) else str(key)
    return f"{path}.{segment}" if path else segment


def pick(value, options):
    """The value when it is one of the options, else None (a string or int, never a bool)."""
    if isinstance(value, str | int) and not isinstance(value, bool) and value in options:
        return value
    return None


def obj(value):
    return value if isinstance(value, dict) else {}


def label(value):
    return LABELS.get(value, value)


def quoted(values):
    return ", ".join(f'"{v}"' for v in values)


def either(phrases):
    """The phrases joined by "or": '"up" or "down"'."""
    if not phrases:
        return ""
    return reduce(lambda one, other: _("%(one)s or %(other)s") % {"one": one, "other": other},
                  phrases)


def quoted_either(values):
    """'"up" or "down"'."""
    return either([quoted([v]) for v in values])


def must_be(want, value):
    """Says that a value is not of the JSON type its field takes."""
    return _("Must be %(wanted)s, not %(found)s.") % {"wanted": _(WANT[want]),
                                                      "found": kind_of(value)}


def unknown_message(key, fields):
    if not isinstance(key, str):
        return _("Unknown field; remove it.")
    shown = clip(key, 60)
    close = difflib.get_close_matches(shown, fields, n=1)
    if close:
        return _('Unknown field "%(key)s"; remove it or fix the spelling. '
                 'Did you mean "%(close)s"?') % {"key": shown, "close": close[0]}
    return _('Unknown field "%(key)s"; remove it or fix the spelling.') % {"key": shown}


class Checker:
    """Violations found so far, and the values other checks depend on.

    A decided value is None while it is missing or itself invalid, so that the checks depending
    on it are skipped: the person fixes one thing at a time and never sees one mistake twice.
    """

    def __init__(self, job, now_ms):
        self.found = []
        self.now_ms = now_ms if isinstance(now_ms, int) and not isinstance(now_ms, bool) else None
        base = obj(job.get("base_info"))
        self.engine = pick(base.get("engine_type"), ENGINE_TYPES)
        job_type = pick(base.get("job_type"), JOB_TYPES)
        if self.engine and (job_type, self.engine) not in SCENARIOS:
            job_type = None  # R-06 refuses the pair: nothing can depend on it
        self.job_type = job_type
        direction = pick(base.get("job_direction"), JOB_DIRECTIONS)
        if self.engine and direction not in directions_for(self.engine):
            direction = None
        self.direction = direction
        multi_write = base.get("multi_write")
        dr = job_type == "cloudDataGuard"
        self.multi_write = multi_write if dr and isinstance(multi_write, bool) else None
        self.net_type = pick(base.get("net_type"), NET_TYPES)
        self.charging = pick(base.get("charging_mode", "on_demand"), CHARGING_MODES)
        # {side: (db_type, endpoint_type)} of the first entry of each endpoint list
        self.endpoints = {side: self._endpoint(job.get(f"{side}_endpoint"), side) for side in SIDES}
        node_info = job.get("node_info")
        if not isinstance(node_info, dict):
            self.instance_type = None
        elif "base_info" not in node_info:
            self.instance_type = "single"  # no base_info: DRS creates a single instance
        else:
            node_base = obj(node_info["base_info"])
            self.instance_type = pick(node_base.get("instance_type"), INSTANCE_TYPES)

    def _endpoint(self, entries, side):
        entry = obj(entries[0]) if isinstance(entries, list) and entries else {}
        expected = (engine_db_types(self.engine) or (None, None))[SIDES.index(side)]
        db = pick(entry.get("db_type"), DB_TYPES)
        if expected and db != expected:
            db = None
        return db, pick(entry.get("endpoint_type"), endpoint_types_for(db))

    def add(self, path, rule, message):
        if len(self.found) >= MAX_VIOLATIONS:
            raise Full
        self.found.append(Violation(path, rule, clip(message, MAX_MESSAGE)))

    def walk(self, value, path, kind, field_checks, required=()):
        """Check each key of an object in order, then report the required keys that are absent.

        field_checks: {key: fn(value, path)} run on values of the right JSON type.
        required: (key, rule, message) reported when key is absent.
        """
        fields = SHAPE[kind]
        for key, item in value.items():
            where = join(path, key)
            want = fields.get(key) if isinstance(key, str) else None
            if want is None:
                self.add(where, "R-00", unknown_message(key, fields))
            elif not IS_TYPE[want](item):
                self.add(where, "R-00", must_be(want, item))
            elif key in field_checks:
                field_checks[key](item, where)
        for key, rule, message in required:
            if key not in value:
                self.add(join(path, key), rule, message)

    def objects(self, items, path, check):
        """Each item of a list must be an object; check(item, path) the ones that are."""
        for index, item in enumerate(items):
            where = join(path, index)
            if isinstance(item, dict):
                check(item, where)
            else:
                self.add(where, "R-00", must_be("obj", item))

    def non_empty(self, rule, message):
        """A field check refusing a blank string."""

        def check(value, path):
            if not value.strip():
                self.add(path, rule, message)

        return check
