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
    pending = [(body, ())]  # a loop, not recursion: the body may be nested deeply
    while pending:
        node, path = pending.pop()
        where = ".".join(path)
        if isinstance(node, str) and not _is_text(node):
            raise _not_text(f"the string at {where or 'the top level'}")
        if isinstance(node, dict):
            for key, value in node.items():
                if not _is_text(key):
                    raise _not_text(f"a key in {where or 'the top-level object'}")
                pending.append((value, (*path, key)))
        elif isinstance(node, list):
            pending.extend((value, (*path, str(index))) for index, value in enumerate(node))


def parse_body(text: str | bytes):
    """json.loads, refusing NaN, Infinity, overflowing numbers and strings that are not Unicode
    text; ValueError (JSONDecodeError among them) or RecursionError when the text is not such
    JSON."""
    body = json.loads(text, parse_constant=_reject_constant, parse_float=_finite)
    _refuse_non_text(body)
    return body
