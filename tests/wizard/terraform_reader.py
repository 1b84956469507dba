"""Reads a Terraform export back with a real HCL parser (python-hcl2) and checks it is data only.

The reader walks hcl2's parse tree itself and accepts only what an export may hold: blocks,
arguments, string/number/bool/null literals, tuples, objects, `jsonencode(...)` and `var.NAME`.
An interpolation, a template directive, a heredoc, an operator or a call to anything else fails
the test, so no text of a body can come out of an export as code.

Where hcl2 reads differently from Terraform, the reader follows Terraform:
- A quoted string's escapes are decoded by Terraform's rules (\\n \\r \\t \\" \\\\ \\uNNNN
  \\UNNNNNNNN, anything else refused), and a raw character Terraform would refuse in a quoted
  string (a newline) or that an export escapes (any non-printable one) fails the test.
- `$${` and `%%{`, Terraform's escapes for a literal `${` and `%{`, are given to hcl2 as
  `\\u0024{` and `\\u0025{`, which Terraform reads the same way (checked with `terraform console`,
  see test_export_terraform.py). hcl2 lexes `$${` only as part of a `$${...}` token: a string
  holding `${` with no `}` after it does not parse, and escapes after `$${` are not decoded. Only
  the escaped forms are rewritten: a bare `${` or `%{` stays one and fails the test.
"""

import json
import re
from dataclasses import dataclass, field

from hcl2.api import parses_to_tree
from lark import Token, Tree

from drsui import contract as c

RESOURCE_TYPE = "huaweicloud_drs_job_v5"


class _Variable:
    def __repr__(self):
        return "<a Terraform variable>"


SECRET = _Variable()  # where the body has a secret, the export has a variable
# What an export may name bare; a job entry with another name, or with one of Terraform's own
# argument names (or `region`, which the export writes itself), is left out.
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
TERRAFORM_NAMES = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner",
                   "connection", "region"}


@dataclass(frozen=True)
class Ref:
    """A bare reference: `var.x` or the type `string` of a variable block."""
    name: str


@dataclass
class Blocks:
    """The blocks of one type in a body, in order (each a dict)."""
    bodies: list = field(default_factory=list)


@dataclass
class Read:
    resources: list  # (type, name, body)
    variables: dict  # name -> body
    other_blocks: list  # (type, labels)
    top_attributes: list


class NotData(AssertionError):
    pass


def _parts(tree: Tree) -> list:
    """The children that carry meaning: no punctuation tokens, no newlines or comments."""
    return [child for child in tree.children
            if isinstance(child, Tree) and child.data != "new_line_or_comment"]


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _decoded(source: str) -> str:
    """A quoted literal's text as Terraform reads it."""
    out, index = [], 0
    while index < len(source):
        char = source[index]
        if char == "\n" or not char.isprintable():
            raise NotData(f"raw {char!r} in a quoted string")
        if char != "\\":
            out.append(char)
            index += 1
            continue
        marker = source[index + 1:index + 2]
        if marker in _ESCAPES:
            out.append(_ESCAPES[marker])
            index += 2
        elif marker in ("u", "U"):
            width = 4 if marker == "u" else 8
            digits = source[index + 2:index + 2 + width]
            if not re.fullmatch(f"[0-9a-fA-F]{{{width}}}", digits):
                raise NotData(f"bad escape \\{marker}{digits}")
            out.append(chr(int(digits, 16)))
            index += 2 + width
        else:
            raise NotData(f"escape \\{marker} (Terraform refuses it)")
    return "".join(out)


def _string(tree: Tree) -> str:
    text = []
    for part in tree.children:
        if isinstance(part, Token):  # the quotes
            continue
        [content] = part.children
        if not (isinstance(content, Token) and content.type == "STRING_CHARS"):
            name = content.data if isinstance(content, Tree) else content.type
            raise NotData(f"{name} in a string: {tree}")
        text.append(_decoded(str(content)))
    return "".join(text)


def _name(tree: Tree) -> str:
    """An argument name, block type or bare object key (hcl2 splits keywords out of NAME)."""
    [token] = tree.children
    return str(token)


def _expression(tree: Tree):
    kind = tree.data
    if kind == "expr_term":
        parts = _parts(tree)
        if len(parts) != 1 or any(isinstance(c, Token) and c.type == "LPAR" for c in tree.children):
            raise NotData(f"a parenthesised expression: {tree}")
        return _expression(parts[0])
    if kind == "string":
        return _string(tree)
    if kind == "int_lit":
        return int(str(tree.children[0]))
    if kind == "float_lit":
        return float(str(tree.children[0]))
    if kind == "literal_value":
        return {"true": True, "false": False, "null": None}[str(tree.children[0])]
    if kind == "unary_op" and str(tree.children[0]) == "-":
        value = _expression(tree.children[1])
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise NotData(f"- applied to {value!r}")
        return -value
    if kind == "tuple":
        return [_expression(item) for item in _parts(tree)]
    if kind == "object":
        return _object(tree)
    if kind == "function_call":
        function, *arguments = _parts(tree)
        values = [_expression(a) for a in (_parts(arguments[0]) if arguments else [])]
        if _name(function) == "jsonencode" and len(values) == 1:
            return values[0]  # the provider takes the JSON text this makes
        call = Ref(f"{_name(function)}({', '.join(map(_ref_text, values))})")
        if call.name == "map(string)" or re.fullmatch(r"lookup\(var\.\w+, each\.key, None\)",
                                                      call.name):
            return call  # a wave's variable type, and its secret of only some rows
        raise NotData(f"a call of {_name(function)}")
    if kind == "get_attr_expr_term":  # var.x; in a wave's export each.key, each.value.x, local.x
        target, attribute = _parts(tree)
        root = _expression(target)
        name = f"{_ref_text(root)}.{_name(_parts(attribute)[0])}"
        if not re.fullmatch(r"var\.[\w-]+|local\.rows|each\.key|each\.value(\.\w+)?", name):
            raise NotData(f"a reference: {tree}")
        return Ref(name)
    if kind == "index_expr_term":  # a wave's var.x[each.key]
        target, index = _parts(tree)
        name = f"{_ref_text(_expression(target))}[{_ref_text(_expression(_parts(index)[0]))}]"
        if not re.fullmatch(r"var\.[\w-]+\[each\.key\]", name):
            raise NotData(f"an index: {tree}")
        return Ref(name)
    if kind == "identifier":
        return Ref(_name(tree))
    raise NotData(f"{kind} is not data: {tree}")


def _ref_text(value) -> str:
    return value.name if isinstance(value, Ref) else repr(value)


def _object(tree: Tree) -> dict:
    result = {}
    for element in _parts(tree):
        key_tree, value_tree = _parts(element)
        [key] = _parts(key_tree) or [key_tree]
        if key.data == "keyword":
            name = _name(key)
        else:
            key_value = _expression(key)
            if isinstance(key_value, Ref) and "." not in key_value.name:
                name = key_value.name  # a bare key is its own name in an object
            elif isinstance(key_value, str):
                name = key_value
            else:
                raise NotData(f"object key {key_value!r}")
        if name in result:
            raise NotData(f"object key {name!r} twice")
        result[name] = _expression(value_tree)
    return result


def _body(tree: Tree) -> dict:
    """A block body: arguments as values, blocks as Blocks per type."""
    result = {}
    for item in _parts(tree):
        if item.data == "attribute":
            name_tree, value_tree = _parts(item)
            name = _name(name_tree)
            if name in result:
                raise NotData(f"{name} set twice")
            result[name] = _expression(value_tree)
        elif item.data == "block":
            name, labels, body = _block(item)
            if labels:
                raise NotData(f"a labelled block inside a resource: {name} {labels}")
            blocks = result.setdefault(name, Blocks())
            if not isinstance(blocks, Blocks):
                raise NotData(f"{name} is both an argument and a block")
            blocks.bodies.append(body)
        else:
            raise NotData(f"{item.data} in a body")
    return result


def _block(tree: Tree):
    parts = _parts(tree)
    name, *labels, body = parts
    label_values = []
    for label in labels:
        if label.data != "string":
            raise NotData(f"an unquoted block label: {label}")
        label_values.append(_string(label))
    return _name(name), label_values, _body(body)


def hcl2_readable(text: str) -> str:
    """Terraform's `$${` / `%%{` escapes in the form hcl2 reads (see the module docstring). Sound
    on a whole export: outside strings it holds only names, punctuation and fixed comments."""
    return text.replace("$${", "\\u0024{").replace("%%{", "\\u0025{")


def read_terraform(text: str) -> Read:
    start = parses_to_tree(hcl2_readable(text))
    [body] = _parts(start)
    read = Read(resources=[], variables={}, other_blocks=[], top_attributes=[])
    for item in _parts(body):
        if item.data != "block":
            read.top_attributes.append(item)
            continue
        name, labels, block_body = _block(item)
        if name == "resource" and len(labels) == 2:
            read.resources.append((labels[0], labels[1], block_body))
        elif name == "variable" and len(labels) == 1 and labels[0] not in read.variables:
            read.variables[labels[0]] = block_body
        else:
            read.other_blocks.append((name, labels))
    return read


def _refs(value):
    if isinstance(value, Ref):
        yield value.name
    elif isinstance(value, Blocks):
        for body in value.bodies:
            yield from _refs(body)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def as_json(value, like):
    """What the export says, as JSON: blocks become objects (one block where the body has an
    object, a list where it has a list), a variable becomes SECRET. A body's empty list has
    no block in the export: Terraform reads no block of a type as an empty list of them."""
    if isinstance(value, Blocks):
        if isinstance(like, dict) and len(value.bodies) == 1:
            return as_json(value.bodies[0], like)
        likes = like if isinstance(like, list) else []
        return [as_json(body, likes[i] if i < len(likes) else None)
                for i, body in enumerate(value.bodies)]
    if isinstance(value, Ref):
        return SECRET if value.name.startswith("var.") else value
    if isinstance(value, dict):
        likes = like if isinstance(like, dict) else {}
        result = {key: as_json(item, likes.get(key)) for key, item in value.items()}
        for key, item in likes.items():
            if key not in result and item == []:
                result[key] = []
        return result
    if isinstance(value, list):
        likes = like if isinstance(like, list) else []
        return [as_json(item, likes[i] if i < len(likes) else None)
                for i, item in enumerate(value)]
    return value


def with_secrets_as_variables(value):
    """The body with every secret (any key in SECRET_FIELDS, at any depth) as SECRET."""
    if isinstance(value, dict):
        return {key: SECRET if key in c.SECRET_FIELDS else with_secrets_as_variables(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return [with_secrets_as_variables(item) for item in value]
    return value


def expected_job(body) -> tuple[dict, int]:
    """(the job as the export must say it, how many job entries it must leave out)."""
    job = body.get("job") if isinstance(body, dict) else None
    job = job if isinstance(job, dict) else {}
    kept = {key: value for key, value in job.items()
            if NAME.fullmatch(key) and key not in TERRAFORM_NAMES}
    return with_secrets_as_variables(kept), len(job) - len(kept)


def assert_terraform_export(text: str, body, *, region: str | None = None) -> Read:
    """The export is one huaweicloud_drs_job_v5 resource holding the body, plus one variable
    block per secret it uses, and nothing else."""
    read = read_terraform(text)
    assert not read.other_blocks and not read.top_attributes, read.other_blocks
    assert len(read.resources) == 1, read.resources
    [(resource_type, name, resource)] = read.resources
    assert resource_type == RESOURCE_TYPE
    assert NAME.fullmatch(name)
    exported_region = resource.pop("region")
    if region is not None:
        assert exported_region == region
    job, left_out = expected_job(body)
    actual = as_json(resource, job)
    assert actual == job
    # == takes True for 1 and 1.0 for 1: JSON text tells them apart
    assert json.dumps(actual, sort_keys=True, default=repr) == json.dumps(
        job, sort_keys=True, default=repr)
    for variable in read.variables.values():
        assert variable == {"type": Ref("string"), "sensitive": True}
    assert set(_refs(resource)) == {f"var.{v}" for v in read.variables}
    lines = [line for line in text.splitlines() if line.lstrip().startswith(("#", "//", "/*"))]
    if left_out:
        assert lines == [f"# Left out: {left_out} job entr{'y' if left_out == 1 else 'ies'} "
                         "whose name Terraform cannot take as an argument (see the JSON export)."]
    else:
        assert lines == []
    return read
