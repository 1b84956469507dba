"""Reads a wave's Terraform export back (python-hcl2, through terraform_reader: data only) and
resolves its one for_each resource for each row of `local.rows`, as Terraform would."""

from dataclasses import dataclass

from hcl2.api import parses_to_tree

from tests.wizard.terraform_reader import (
    RESOURCE_TYPE,
    SECRET,
    Blocks,
    NotData,
    Ref,
    _block,
    _parts,
    as_json,
    hcl2_readable,
    read_terraform,
)


@dataclass
class WaveRead:
    variables: dict  # name -> body
    rows: dict  # row key -> {column: value}
    resource: dict  # the resource's body, unresolved


def read_wave(text: str) -> WaveRead:
    """The variables, `local.rows` and the one resource; anything else fails."""
    [body] = _parts(parses_to_tree(hcl2_readable(text)))
    variables, rows, resources = {}, None, []
    for item in _parts(body):
        if item.data != "block":
            raise NotData(f"{item.data} at the top level")
        name, labels, block_body = _block(item)
        if name == "variable" and len(labels) == 1 and labels[0] not in variables:
            variables[labels[0]] = block_body
        elif name == "locals" and not labels and rows is None and list(block_body) == ["rows"]:
            rows = block_body["rows"]
        elif name == "resource" and labels[0] == RESOURCE_TYPE:
            resources.append(block_body)
        else:
            raise NotData(f"a block {name} {labels}")
    [resource] = resources
    assert resource.pop("for_each") == Ref("local.rows")
    return WaveRead(variables=variables, rows=rows, resource=resource)


def _resolved(value, values: dict, given: set, in_block: bool = False):
    """The value for one row: each.value.x its value, a variable SECRET, `lookup(var.x,
    each.key, null)` SECRET if the row's value of var.x is `given` else null; a block's
    argument that comes out null is left out (Terraform reads null as unset)."""
    if isinstance(value, Ref):
        if value.name.startswith("each.value."):
            return values[value.name.removeprefix("each.value.")]
        if value.name.startswith("var."):
            return SECRET
        if value.name.startswith("lookup(var."):
            return SECRET if value.name[len("lookup(var."):].split(",")[0] in given else None
        raise NotData(f"{value.name} in a resource")
    if isinstance(value, Blocks):
        return Blocks([_resolved(body, values, given, in_block=True) for body in value.bodies])
    if isinstance(value, dict):
        resolved = {key: _resolved(item, values, given) for key, item in value.items()}
        return {key: item for key, item in resolved.items()
                if not (in_block and item is None)}
    if isinstance(value, list):
        return [_resolved(item, values, given) for item in value]
    return value


def wave_rows_as_json(text: str, like_by_key: dict, given_by_key: dict) -> dict:
    """{row key: the resource for that row, as JSON (terraform_reader.as_json)}, with the map
    variables `given_by_key[key]` holding a value for the row."""
    read = read_wave(text)
    return {key: as_json(_resolved(read.resource, values, given_by_key.get(key, set()),
                                   in_block=True), like_by_key.get(key))
            for key, values in read.rows.items()}


def single_as_json(text: str, like) -> dict:
    """The one resource of a single task's export, as JSON, its null arguments left out."""
    [(_, _, resource)] = read_terraform(text).resources
    return as_json(_resolved(resource, {}, set(), in_block=True), like)
