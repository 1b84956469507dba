"""The JSON panel's text: the body as indented JSON, the part the current step edits marked.

Each top-level key a step owns (steps.Step.owns, e.g. "node_info.vpc") is wrapped, key line to
closing line, in <span class="json-owned">; static/drsui.js scrolls the panel to the first.
"""

import json

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from drsui import contract as c

_MARK = "\x00drsui-owned\x00"  # no body holds it: NUL is refused in stored text


def _dump(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _key_line(body: dict, path: str) -> int | None:
    """The line of the dump of `body` where the key at `path` opens; None if absent."""
    parent_path, _, key = path.rpartition(".")
    marked = c.copy_json(body)
    parent = c.get_path(marked, parent_path) if parent_path else marked
    if not isinstance(parent, dict) or key not in parent:
        return None
    items = list(parent.items())
    parent.clear()
    parent.update((_MARK if k == key else k, v) for k, v in items)
    needle = json.dumps(_MARK)
    return next(i for i, line in enumerate(_dump(marked).split("\n")) if needle in line)


def json_panel(body: dict, owns: tuple[str, ...] = ()) -> SafeString:
    """`body` as the panel shows it, with the parts at `owns` (paths under "job") marked."""
    lines = _dump(body).split("\n")
    marked = set()  # lines inside an owned part
    starts = set()
    for prefix in owns:
        start = _key_line(body, f"job.{prefix}")
        if start is None:
            continue
        length = len(_dump(c.get_path(body, f"job.{prefix}")).split("\n"))
        starts.add(start)
        marked.update(range(start, start + length))
    out = []
    for i, line in enumerate(lines):
        text = escape(line)
        if i in marked and (i in starts or i - 1 not in marked):
            indent = len(text) - len(text.lstrip(" "))
            text = text[:indent] + '<span class="json-owned">' + text[indent:]
        if i in marked and (i + 1 not in marked or i + 1 in starts):
            text += "</span>"
        out.append(text)
    return mark_safe("\n".join(out))
