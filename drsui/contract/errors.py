"""How an error message names the body field it is about: "<path>: <message>".

The sandbox words a refused body so (the first violation's path, then its message), and drsui
reads the path back to open the step and field to fix. One function writes it, one reads it.
"""

import re

# A body path as validate() spells it: lower-case keys and list indexes, dotted
# ("source_endpoint.0.endpoint.ip"); then a colon.
_NAMED = re.compile(r"\s*([a-z_]+(?:\.[a-z0-9_]+)*)\s*: ?")


def error_msg_format(path: str, message: str) -> str:
    """"<path>: <message>", or the message alone when it is about no one field."""
    return f"{path}: {message}" if path else message


def error_msg_parse(error_msg: str) -> tuple[str, str]:
    """(path, message) of a message error_msg_format wrote; ("", error_msg) when it names no
    field. Only the first colon separates: the message may hold colons of its own."""
    error_msg = error_msg or ""
    match = _NAMED.match(error_msg)
    if match is None:
        return "", error_msg
    return match.group(1), error_msg[match.end():]
