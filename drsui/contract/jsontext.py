"""Reading a body from JSON text as DRS would: NaN and Infinity are not JSON."""

import json


def _reject_constant(name):
    raise ValueError(f"{name} is not allowed in JSON")


def parse_body(text: str | bytes):
    """json.loads, refusing NaN/Infinity; ValueError (JSONDecodeError among them) or
    RecursionError when the text is not such JSON."""
    return json.loads(text, parse_constant=_reject_constant)
