"""Reading a body from JSON text as DRS would: NaN and Infinity are not JSON, and neither is a
number too large for a double (1e400 would become Infinity)."""

import json
import math


def _reject_constant(name):
    raise ValueError(f"{name} is not allowed in JSON")


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def parse_body(text: str | bytes):
    """json.loads, refusing NaN, Infinity and overflowing numbers; ValueError (JSONDecodeError
    among them) or RecursionError when the text is not such JSON."""
    return json.loads(text, parse_constant=_reject_constant, parse_float=_finite)
