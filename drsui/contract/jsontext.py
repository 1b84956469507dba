"""Reading a body from JSON text as DRS would: NaN and Infinity are not JSON, and neither is a
number too large for a double (1e400 would become Infinity) nor a string holding a lone
surrogate (the escape "\\ud800" reads, but is not Unicode text and cannot be stored or shown).
A NUL character ("\\u0000") is refused too (PostgreSQL stores no NUL in text or jsonb), and so is
nesting deeper than MAX_DEPTH (a task body is nested fewer than 10 levels; a deeper one only
makes every later copy, check and rendering of it fail)."""

import json
import math

from .i18n import _, gettext_noop

MAX_DEPTH = 64


def _reject_constant(name):
    raise ValueError(_("%(name)s is not allowed in JSON") % {"name": name})


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(_("the number %(number)s is too large") % {"number": text[:20]})
    return value


def _text_problem(value: str) -> str:
    """Why `value` cannot be stored as text ("surrogate" or "nul"), or ""."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "surrogate"
    return "nul" if "\x00" in value else ""


# (a string or a key, its problem, whether it is at the top level): said with _()
_NOT_TEXT = {
    ("string", "surrogate", False): gettext_noop(
        "the string at %(where)s is not valid Unicode text (a lone surrogate such as \\ud800)"),
    ("string", "nul", False): gettext_noop(
        "the string at %(where)s holds a NUL character (\\u0000), which cannot be stored"),
    ("string", "surrogate", True): gettext_noop(
        "the string at the top level is not valid Unicode text (a lone surrogate such as "
        "\\ud800)"),
    ("string", "nul", True): gettext_noop(
        "the string at the top level holds a NUL character (\\u0000), which cannot be stored"),
    ("key", "surrogate", False): gettext_noop(
        "a key in %(where)s is not valid Unicode text (a lone surrogate such as \\ud800)"),
    ("key", "nul", False): gettext_noop(
        "a key in %(where)s holds a NUL character (\\u0000), which cannot be stored"),
    ("key", "surrogate", True): gettext_noop(
        "a key in the top-level object is not valid Unicode text (a lone surrogate such as "
        "\\ud800)"),
    ("key", "nul", True): gettext_noop(
        "a key in the top-level object holds a NUL character (\\u0000), which cannot be "
        "stored"),
}


def _not_text(what: str, problem: str, at) -> ValueError:
    where = _spelled(at)
    return ValueError(_(_NOT_TEXT[what, problem, not where]) % {"where": where})


def _refuse_non_text(body):
    """ValueError naming the first string or key found that is not storable Unicode text."""
    # All text: the usual case, checked at C speed. The dump spells NUL as \u0000 (so does a
    # backslash typed before "u0000": the walk below then finds nothing).
    text = json.dumps(body, ensure_ascii=False)
    try:
        text.encode("utf-8")
        if "\\u0000" not in text:
            return
    except UnicodeEncodeError:
        pass
    # A loop, not recursion; each entry links to its parent, so a path is only spelled out for
    # the string refused.
    pending = [(body, None)]
    while pending:
        node, at = pending.pop()
        if isinstance(node, str) and (problem := _text_problem(node)):
            raise _not_text("string", problem, at)
        if isinstance(node, dict):
            for key, value in node.items():
                if problem := _text_problem(key):
                    raise _not_text("key", problem, at)
                pending.append((value, (key, at)))
        elif isinstance(node, list):
            pending.extend((value, (str(index), at)) for index, value in enumerate(node))


def _too_deep(where: str = "") -> ValueError:
    if where:
        message = _("nested too deeply under %(where)s (more than %(max)s levels; a DRS task "
                    "body has fewer than 10)")
    else:
        message = _("nested too deeply (more than %(max)s levels; a DRS task body has fewer "
                    "than 10)")
    return ValueError(message % {"where": where, "max": MAX_DEPTH})


def _refuse_deep(body):
    """ValueError when objects and arrays nest more than MAX_DEPTH levels (a level at a time,
    not recursion), naming the first two keys above the deepest part."""
    level = [(body, None)] if isinstance(body, dict | list) else []
    for _level in range(MAX_DEPTH):
        level = [(child, (key, at)) for node, at in level
                 for key, child in (node.items() if isinstance(node, dict) else enumerate(node))
                 if isinstance(child, dict | list)]
        if not level:
            return
    raise _too_deep(".".join(_spelled(level[0][1]).split(".")[:2]))


def nesting_problem(body) -> str:
    """Why `body` is nested too deeply, or "": for a body read before parse_body refused such
    nesting."""
    try:
        _refuse_deep(body)
    except ValueError as exc:
        return str(exc)
    return ""


def _spelled(at) -> str:
    parts = []
    while at is not None:
        key, at = at
        parts.append(str(key))
    return ".".join(reversed(parts))


def parse_body(text: str | bytes):
    """json.loads, refusing NaN, Infinity, overflowing numbers, strings that are not storable
    Unicode text and nesting deeper than MAX_DEPTH: ValueError (JSONDecodeError among them)
    when the text is not such JSON."""
    try:
        body = json.loads(text, parse_constant=_reject_constant, parse_float=_finite)
    except RecursionError:
        raise _too_deep() from None
    _refuse_deep(body)
    _refuse_non_text(body)
    return body
