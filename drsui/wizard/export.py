"""A body as JSON, as a curl command and as a Terraform resource: secrets never leave drsui.

JSON shows each secret as `******`; curl reads the token from `$DRS_TOKEN`; Terraform takes
every secret from a variable. Every export stays data whatever an imported body holds: curl's
words are shell-quoted, and Terraform's names and strings go through one quoting function each,
so no key or text becomes a command, a block or a template.

The comments written into an export are in the person's language at export time; what the
export says to DRS or Terraform never changes with it.
"""

import json
import re
import shlex
import unicodedata
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drsui import contract as c


def export_json(body: dict) -> str:
    return json.dumps(c.mask_secrets(body), indent=2, ensure_ascii=False)


def _comment(text: str) -> str:
    """A comment line of a shell script or a Terraform file: one line, whatever it says."""
    return "# " + " ".join(text.splitlines()) + "\n"


def download_filename(name: str, ext: str) -> str:
    """`name.ext` with control characters and path separators as `_`, or `task.ext` when the
    name has nothing else."""
    safe = "".join("_" if unicodedata.category(ch).startswith("C") or ch in "/\\" else ch
                   for ch in name).strip(" _")
    return f"{safe or 'task'}.{ext}"


def drs_endpoint_for(region: str) -> str:
    """The real DRS endpoint of a region (eu-west-101 is served from .myhuaweicloud.eu)."""
    domain = "myhuaweicloud.eu" if region == "eu-west-101" else "myhuaweicloud.com"
    return f"https://drs.{region}.{domain}"


def export_curl(body: dict, *, region: str, project_id: str) -> str:
    url = f"{drs_endpoint_for(region)}/v5/{project_id}/jobs"
    payload = json.dumps(c.mask_secrets(body), ensure_ascii=False)
    return (
        _comment(_("Replace each ****** with the real secret; export DRS_TOKEN=<IAM token> "
                     "first."))
        + f"curl -sS -X POST {shlex.quote(url)} \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        '  -H "X-Auth-Token: $DRS_TOKEN" \\\n'
        f"  --data-binary {shlex.quote(payload)}\n"
    )


class _Variables:
    """The Terraform variable of each secret path: source_endpoint.0.endpoint.db_password ->
    source_endpoint_db_password; a shard keeps its index:
    source_endpoint_source_sharding_1_db_password. Two paths never share a name."""

    def __init__(self):
        self.by_path: dict[str, str] = {}
        self._taken: set[str] = set()

    def reference(self, path: str) -> str:
        if path not in self.by_path:
            name = base = self._name(path)
            suffix = 2
            while name in self._taken:
                name, suffix = f"{base}_{suffix}", suffix + 1
            self._taken.add(name)
            self.by_path[path] = name
        return f"var.{self.by_path[path]}"

    @staticmethod
    def _name(path: str) -> str:
        segments = path.split(".")
        parts = [p for i, p in enumerate(segments) if p not in ("endpoint", "ssl") and not (
            p.isdigit() and i and segments[i - 1] in ("source_endpoint", "target_endpoint"))]
        name = re.sub(r"[^a-z0-9_]", "_", "_".join(parts).lower())[:64]
        return name if name[:1].isalpha() else f"secret_{name}"


# A plain identifier: the only kind of name Terraform takes bare, as an argument, a block type
# or an object key. Any other name is quoted where HCL allows it, and left out where it does not.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# Object keys that read as HCL keywords are quoted, so that no reader takes them for syntax.
_KEYWORDS = frozenset({"null", "true", "false", "for", "in", "if", "else", "endif", "endfor",
                       "for_each"})
# Terraform's own arguments of a resource (`count = 5` would create five tasks), and the region
# the export writes itself: a job entry with one of these names is left out.
_NOT_JOB_FIELDS = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle",
                             "provisioner", "connection", "region"})
_STRING_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped_char(ch: str) -> str:
    if ch in _STRING_ESCAPES:
        return _STRING_ESCAPES[ch]
    if ch.isprintable():
        return ch
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def _hcl_string(value) -> str:
    """A quoted HCL string that Terraform reads back as exactly `value`, as text: quotes,
    backslashes and every character Python does not call printable (newlines, controls,
    direction marks…) escaped, `${` and `%{` doubled so that they start no template."""
    text = str(value)
    if text.isprintable():
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    else:
        text = "".join(map(_escaped_char, text))
    return '"' + text.replace("${", "$${").replace("%{", "%%{") + '"'


def _hcl_key(key: str) -> str:
    """An object key: bare when it is a plain identifier, else quoted."""
    return key if _NAME.fullmatch(key) and key not in _KEYWORDS else _hcl_string(key)


def _hcl_scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return _hcl_string(value)


def _is_scalar(key, value) -> bool:
    return key in c.SECRET_FIELDS or not isinstance(value, dict | list)


def _is_block(value) -> bool:
    """An object Terraform can take as a block: every key a plain identifier."""
    return isinstance(value, dict) and all(_NAME.fullmatch(key) for key in value)


class _Secret(NamedTuple):
    path: str


class _Expression(NamedTuple):
    value: object
    path: str
    indent: int


class _Block(NamedTuple):
    header: str
    node: dict
    path: str
    indent: int


def _field(key, value, path: str, indent: int):
    """The value of `key` (None: a list item): a secret is a variable, whatever the body holds;
    a scalar is its text already."""
    if key in c.SECRET_FIELDS:
        return _Secret(path)
    if isinstance(value, dict | list):
        return _Expression(value, path, indent)
    return _hcl_scalar(value)


def _pad(indent: int) -> str:
    """Indentation, growing no further after 32 levels: deep nesting stays linear in size."""
    return "  " * min(indent, 32)


def _expression_parts(expression: _Expression) -> list:
    """Any JSON value as an HCL expression: an object or list of scalars on one line, others
    one entry a line."""
    value, path, indent = expression
    pad = _pad(indent)
    if isinstance(value, dict) and value:
        fields = [(f"{_hcl_key(key)} = ", _field(key, item, f"{path}.{key}", indent + 1))
                  for key, item in value.items()]
        if all(_is_scalar(key, item) for key, item in value.items()):
            return ["{ ", *_joined(fields, ", "), " }"]
        return ["{\n", *(part for field in fields for part in (f"{pad}  ", *field, "\n")),
                f"{pad}}}"]
    if isinstance(value, list) and value:
        items = [_field(None, item, f"{path}.{index}", indent + 1)
                 for index, item in enumerate(value)]
        if all(_is_scalar(None, item) for item in value):
            return ["[", *_joined([(item,) for item in items], ", "), "]"]
        return ["[\n", *(part for item in items for part in (f"{pad}  ", item, ",\n")),
                f"{pad}]"]
    return ["{}" if isinstance(value, dict) else "[]"]


def _joined(groups: list[tuple], separator: str) -> list:
    return [part for index, group in enumerate(groups)
            for part in ((separator,) if index else ()) + group]


def _separated(parts: list) -> list:
    """A blank line before a nested block, unless it comes first in its block."""
    return ["\n"] if len(parts) > 1 else []


def _block_parts(block: _Block) -> list:
    """`header { ... }`: scalars first, aligned; an object whose keys are all names is a nested
    block, a list of such objects one block each (an empty list: no block), anything else an
    argument holding an expression. Every key of the node is a name."""
    header, node, path, indent = block
    pad = _pad(indent)
    scalars, nested = [], []
    for key, value in node.items():
        (scalars if _is_scalar(key, value) else nested).append(
            (key, value, f"{path}.{key}" if path else key))
    width = max((len(key) for key, _, _ in scalars), default=0)
    parts = [f"{pad}{header} {{\n"]
    for key, value, key_path in scalars:
        parts += [f"{pad}  {key.ljust(width)} = ", _field(key, value, key_path, indent + 1), "\n"]
    for key, value, key_path in nested:
        if key == "source_sharding":  # a JSON string in the provider's schema
            expression = _Expression(value, key_path, indent + 1)
            parts += [f"{pad}  {key} = jsonencode(", expression, ")\n"]
        elif _is_block(value):
            parts += [*_separated(parts), _Block(key, value, key_path, indent + 1)]
        elif isinstance(value, list) and all(map(_is_block, value)):
            for index, item in enumerate(value):
                item_block = _Block(key, item, f"{key_path}.{index}", indent + 1)
                parts += [*_separated(parts), item_block]
        else:
            parts += [f"{pad}  {key} = ", _Expression(value, key_path, indent + 1), "\n"]
    return [*parts, f"{pad}}}\n"]


def _hcl(root: _Block, variables: _Variables) -> str:
    """The text of a block, built with a stack rather than recursion: an imported body may be
    nested thousands of levels deep."""
    out, stack = [], [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, _Secret):
            out.append(variables.reference(item.path))
        else:
            parts = _block_parts(item) if isinstance(item, _Block) else _expression_parts(item)
            stack.extend(reversed(parts))
    return "".join(out)


def export_terraform(body: dict, *, resource_name: str, region: str) -> str:
    """A `huaweicloud_drs_job_v5` resource that is data only, whatever the body holds: every
    name a plain identifier, every string quoted and escaped, every secret a variable.

    A job entry Terraform cannot take as an argument (its name is not an identifier, or is one
    of Terraform's own) is left out, and a comment says how many were.
    """
    job = body.get("job") if isinstance(body, dict) else None
    job = job if isinstance(job, dict) else {}
    kept = {key: value for key, value in job.items()
            if _NAME.fullmatch(key) and key not in _NOT_JOB_FIELDS}
    name = re.sub(r"[^a-z0-9_]", "_", resource_name.lower()) or "task"
    if not name[0].isalpha():
        name = "task_" + name
    header = f"resource {_hcl_string('huaweicloud_drs_job_v5')} {_hcl_string(name)}"
    variables = _Variables()
    resource = _hcl(_Block(header, {"region": region, **kept}, "", 0), variables)
    head = [f"variable {_hcl_string(v)} {{\n  type      = string\n  sensitive = true\n}}\n"
            for v in variables.by_path.values()]
    left_out = len(job) - len(kept)
    if left_out:
        head.insert(0, _comment(ngettext(
            "Left out: %(count)d job entry whose name Terraform cannot take as an argument (see "
            "the JSON export).",
            "Left out: %(count)d job entries whose name Terraform cannot take as an argument "
            "(see the JSON export).", left_out) % {"count": left_out}))
    return "\n".join([*head, resource])
