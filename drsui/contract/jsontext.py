"""Reading a body from JSON text as DRS would: NaN and Infinity are not JSON, and neither is a
number too large for a double (1e400 would become Infinity) nor a string holding a lone
surrogate (the escape "\\ud800" reads, but is not Unicode text and cannot be stored or shown)."""

import json
import math


def _reject_constant(name):
    raise ValueError(f"{name} is not allowed in JSON")


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_text(what: str):
    return ValueError(f"{what} is not valid Unicode text (a lone surrogate such as \\ud800)")


def _refuse_non_text(body):
    """ValueError naming the first string or key found that is not Unicode text."""
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
        return  # all text: the usual case, checked at C speed
    except UnicodeEncodeError:
        pass
    # A loop, not recursion (the body may be nested deeply); each entry links to its parent,
    # so a path is only spelled out for the string refused.
    pending = [(body, None)]
    while pending:
        node, at = pending.pop()
        if isinstance(node, str) and not _is_text(node):
            raise _not_text(f"the string at {_spelled(at) or 'the top level'}")
        if isinstance(node, dict):
            for key, value in node.items():
                if not _is_text(key):
                    raise _not_text(f"a key in {_spelled(at) or 'the top-level object'}")
                pending.append((value, (key, at)))
        elif isinstance(node, list):
            pending.extend((value, (str(index), at)) for index, value in enumerate(node))


def _spelled(at) -> str:
    parts = []
    while at is not None:
        key, at = at
        parts.append(key)
    return ".".join(reversed(parts))


def parse_body(text: str | bytes):
    """json.loads, refusing NaN, Infinity, overflowing numbers and strings that are not Unicode
    text; ValueError (JSONDecodeError among them) or RecursionError when the text is not such
    JSON."""
    body = json.loads(text, parse_constant=_reject_constant, parse_float=_finite)
    _refuse_non_text(body)
    return body
