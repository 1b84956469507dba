"""Reading a body from JSON text as DRS would: NaN and Infinity are not JSON, and neither is a
number too large for a double (1e400 would become Infinity) nor a string holding a lone
surrogate (the escape "\\ud800" reads, but is not Unicode text and cannot be stored or shown).
A NUL character ("\\u0000") is refused too (PostgreSQL stores no NUL in text or jsonb), and so is
nesting deeper than MAX_DEPTH (a task body is nested fewer than 10 levels; a deeper one only
makes every later copy, check and rendering of it fail)."""

import json
import math

MAX_DEPTH = 64


def _reject_constant(name):
    raise ValueError(f"{name} is not allowed in JSON")


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def _text_problem(value: str) -> str:
    """Why `value` cannot be stored as text, or ""."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text (a lone surrogate such as \\ud800)"
    return "holds a NUL character (\\u0000), which cannot be stored" if "\x00" in value else ""


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
            raise ValueError(f"the string at {_spelled(at) or 'the top level'} {problem}")
        if isinstance(node, dict):
            for key, value in node.items():
                if problem := _text_problem(key):
                    where = _spelled(at) or "the top-level object"
                    raise ValueError(f"a key in {where} {problem}")
                pending.append((value, (key, at)))
        elif isinstance(node, list):
            pending.extend((value, (str(index), at)) for index, value in enumerate(node))


def _too_deep(where: str = "") -> ValueError:
    under = f" under {where}" if where else ""
    return ValueError(f"nested too deeply{under} (more than {MAX_DEPTH} levels; a DRS task "
                      "body has fewer than 10)")


def _refuse_deep(body):
    """ValueError when objects and arrays nest more than MAX_DEPTH levels (a level at a time,
    not recursion), naming the first two keys above the deepest part."""
    level = [(body, None)] if isinstance(body, dict | list) else []
    for _ in range(MAX_DEPTH):
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
