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
        return f"var.{self.name_of(path)}"

    def name_of(self, path: str, suffix: str = "") -> str:
        if path not in self.by_path:
            name = base = self._name(path) + suffix
            count = 2
            while name in self._taken:
                name, count = f"{base}_{count}", count + 1
            self._taken.add(name)
            self.by_path[path] = name
        return self.by_path[path]

    def blocks(self) -> list[str]:
        return [_variable_block(name, "string") for name in self.by_path.values()]

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


class _Reference(NamedTuple):
    """An expression the export writes as it is (`each.value.source_ip`): never a body's."""
    text: str


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
    if isinstance(value, _Reference):
        return value.text
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


def _variable_block(name: str, type_: str) -> str:
    return f"variable {_hcl_string(name)} {{\n  type      = {type_}\n  sensitive = true\n}}\n"


def _job_fields(body) -> tuple[dict, int]:
    """(the job entries Terraform can take as arguments, how many others were left out)."""
    job = body.get("job") if isinstance(body, dict) else None
    job = job if isinstance(job, dict) else {}
    kept = {key: value for key, value in job.items()
            if _NAME.fullmatch(key) and key not in _NOT_JOB_FIELDS}
    return kept, len(job) - len(kept)


def _left_out_comment(left_out: int) -> list[str]:
    if not left_out:
        return []
    return [_comment(ngettext(
        "Left out: %(count)d job entry whose name Terraform cannot take as an argument (see "
        "the JSON export).",
        "Left out: %(count)d job entries whose name Terraform cannot take as an argument "
        "(see the JSON export).", left_out) % {"count": left_out})]


def _resource(fields: dict, *, resource_name: str, variables: _Variables) -> str:
    """`resource "huaweicloud_drs_job_v5" "<name>" { ... }` holding `fields`."""
    name = re.sub(r"[^a-z0-9_]", "_", resource_name.lower()) or "task"
    if not name[0].isalpha():
        name = "task_" + name
    header = f"resource {_hcl_string('huaweicloud_drs_job_v5')} {_hcl_string(name)}"
    return _hcl(_Block(header, fields, "", 0), variables)


def export_terraform(body: dict, *, resource_name: str, region: str) -> str:
    """A `huaweicloud_drs_job_v5` resource that is data only, whatever the body holds: every
    name a plain identifier, every string quoted and escaped, every secret a variable.

    A job entry Terraform cannot take as an argument (its name is not an identifier, or is one
    of Terraform's own) is left out, and a comment says how many were.
    """
    kept, left_out = _job_fields(body)
    variables = _Variables()
    resource = _resource({"region": region, **kept}, resource_name=resource_name,
                         variables=variables)
    return "\n".join([*_left_out_comment(left_out), *variables.blocks(), resource])


# Many tasks of one shape (a wave's rows): one resource with `for_each` over `local.rows`.
# What every row holds alike is written once; what differs is `each.value.<column>`, with
# the rows' values in `local.rows` (never a secret: for_each refuses sensitive values).


class _RowVariables(_Variables):
    """Secrets of the rows: a path in `per_row` is a `map(string)` keyed by the row's key
    (source_endpoint_db_passwords), read with `lookup(…, each.key, null)` where only some rows
    hold it; any other is one `string` for every row."""

    def __init__(self, per_row: set[str], held_by_all: set[str]):
        super().__init__()
        self.per_row, self.held_by_all = per_row, held_by_all

    def reference(self, path: str) -> str:
        if path not in self.per_row:
            return super().reference(path)
        name = self.name_of(path, suffix="s")
        if path in self.held_by_all:
            return f"var.{name}[each.key]"
        return f"lookup(var.{name}, each.key, null)"

    def blocks(self) -> list[str]:
        keyed = _comment(_("One value per row, keyed by the row's name in local.rows."))
        return [(keyed + _variable_block(name, "map(string)")) if path in self.per_row
                else _variable_block(name, "string") for path, name in self.by_path.items()]


_ABSENT = object()


def _has_secret(value) -> bool:
    return bool(c.secret_paths({"job": {"value": value}}))


def _skeleton(value):
    """A JSON value's structure (keys, lengths and types, no values)."""
    if isinstance(value, dict):
        return tuple((key, _skeleton(item)) for key, item in value.items())
    if isinstance(value, list):
        return ("list", *(_skeleton(item) for item in value))
    return type(value).__name__


def _block_shape(node: dict):
    """What rows must share to be written as one block: where the export writes a block and
    where a secret sits in an expression. Scalars and plain expressions may differ."""
    shape = []
    for key, value in node.items():
        if _is_scalar(key, value):
            continue
        if key != "source_sharding" and _is_block(value):
            shape.append((key, "block", _block_shape(value)))
        elif key != "source_sharding" and isinstance(value, list) and all(map(_is_block, value)):
            if value:
                shape.append((key, "blocks", tuple(map(_block_shape, value))))
        elif _has_secret(value):
            shape.append((key, "expression", _skeleton(value)))
    return tuple(sorted(shape, key=lambda entry: entry[0]))


def _same(values: list) -> bool:
    first = json.dumps(values[0], sort_keys=True, default=repr)
    return all(json.dumps(v, sort_keys=True, default=repr) == first for v in values[1:])


class _Columns:
    """The varying values: a column name per path, and each row's value of it."""

    def __init__(self, count: int):
        self.by_path: dict[str, str] = {}
        self.values: list[dict] = [{} for _ in range(count)]

    def reference(self, path: str, values: list) -> _Reference:
        name = base = _Variables._name(path)
        if name in _KEYWORDS or name in c.SECRET_FIELDS:
            name = base = f"value_{name}"
        count = 2
        while name in self.by_path.values():
            name, count = f"{base}_{count}", count + 1
        self.by_path[path] = name
        for row, value in zip(self.values, values, strict=True):
            row[name] = None if value is _ABSENT else value
        return _Reference(f"each.value.{name}")


def _merged_block(nodes: list[dict], path: str, columns: _Columns) -> dict:
    """One block for rows of one shape: a key alike in every row as it is, a differing value
    a column (null where a row has none: Terraform reads null as unset)."""
    merged = {}
    for key in dict.fromkeys(key for node in nodes for key in node):
        values = [node.get(key, _ABSENT) for node in nodes]
        key_path = f"{path}.{key}" if path else key
        present = [value for value in values if value is not _ABSENT]
        if key in c.SECRET_FIELDS:
            merged[key] = c.MASK
        elif all(value == [] for value in present) and len(present) < len(values):
            continue  # no block either way
        elif len(present) == len(values) and _same(values):
            merged[key] = values[0]
        elif key != "source_sharding" and all(map(_is_block, present)) and not all(
                _is_scalar(key, value) for value in present):
            merged[key] = _merged_block(present, key_path, columns)
        elif key != "source_sharding" and all(
                isinstance(v, list) and v and all(map(_is_block, v)) for v in present):
            merged[key] = [_merged_block([value[index] for value in present],
                                         f"{key_path}.{index}", columns)
                           for index in range(len(present[0]))]
        elif _has_secret(present[0]):
            merged[key] = _merged_expression(present, key_path, columns)
        else:
            merged[key] = columns.reference(key_path, values)
    return merged


def _merged_expression(values: list, path: str, columns: _Columns):
    """An expression holding secrets, of one structure in every row: its differing scalars
    are columns."""
    first = values[0]
    if isinstance(first, dict):
        return {key: c.MASK if key in c.SECRET_FIELDS else _merged_expression(
            [value[key] for value in values], f"{path}.{key}", columns) for key in first}
    if isinstance(first, list):
        return [_merged_expression([value[index] for value in values], f"{path}.{index}",
                                   columns) for index in range(len(first))]
    return first if _same(values) else columns.reference(path, values)


def _row_keys(names: list[str]) -> list[str]:
    """Each row's key in local.rows: its name, made unique ("name (2)") and never empty."""
    keys, taken = [], set()
    for position, name in enumerate(names, start=1):
        key = name or f"row {position}"
        count = 2
        while key in taken:
            key, count = f"{name or 'row'} ({count})", count + 1
        taken.add(key)
        keys.append(key)
    return keys


def _rows_local(keys: list[str], values: list[dict], variables: _Variables) -> str:
    lines = ["locals {\n", "  rows = {\n"]
    for key, row in zip(keys, values, strict=True):
        lines += [f"    {_hcl_string(key)} = ", _hcl(_Expression(row, "", 3), variables), "\n"]
    return "".join([*lines, "  }\n", "}\n"])


def export_terraform_for_each(rows: list[tuple[str, dict]], *, resource_name: str, region: str,
                              per_row_secrets: set[str]) -> str:
    """One `huaweicloud_drs_job_v5` resource with `for_each` over the rows `(name, body)`: what
    all rows hold alike written once, each differing value `each.value.<column>` from
    `local.rows`; a secret at a path of `per_row_secrets` a `map(string)` variable keyed by row,
    any other one variable. Data only, as export_terraform.

    Rows must share their blocks (and the place of each secret in an expression): those of
    another shape than the most rows' are left out, and a comment says how many."""
    fields, left_out = [], 0
    for _name, body in rows:
        kept, row_left_out = _job_fields(body)
        fields.append(kept)
        left_out += row_left_out
    keys = _row_keys([name for name, _body in rows])
    shapes = [_block_shape(kept) for kept in fields]
    counts = {}
    for shape in shapes:
        counts[shape] = counts.get(shape, 0) + 1
    common_shape = max(counts, key=counts.get) if counts else ()
    chosen = [index for index, shape in enumerate(shapes) if shape == common_shape]
    fields, keys = [fields[i] for i in chosen], [keys[i] for i in chosen]
    held = [set(c.secret_paths({"job": kept})) for kept in fields]
    held_by_all = set.intersection(*held) if held else set()
    held_by_some = set().union(*held) - held_by_all  # such a secret differs between rows
    variables = _RowVariables(set(per_row_secrets) | held_by_some, held_by_all)
    columns = _Columns(len(fields))
    merged = _merged_block(fields, "", columns) if fields else {}
    resource = _resource({"for_each": _Reference("local.rows"), "region": region, **merged},
                         resource_name=resource_name, variables=variables)
    head = _left_out_comment(left_out)
    skipped = len(rows) - len(chosen)
    if skipped:
        head.append(_comment(ngettext(
            "Left out: %(count)d row whose blocks differ from the other rows' (export it from "
            "its draft).",
            "Left out: %(count)d rows whose blocks differ from the other rows' (export each "
            "from its draft).", skipped) % {"count": skipped}))
    return "\n".join([*head, *variables.blocks(), _rows_local(keys, columns.values, variables),
                      resource])
