"""A body as JSON, as a curl command and as a Terraform resource: secrets never leave drsui.

JSON shows each secret as `******`; curl reads the token from `$DRS_TOKEN`; Terraform takes
every secret from a variable.
"""

import json
import re
import shlex
import unicodedata

from drsui import contract as c


def export_json(body: dict) -> str:
    return json.dumps(c.mask_secrets(body), indent=2, ensure_ascii=False)


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
        "# Replace each ****** with the real secret; export DRS_TOKEN=<IAM token> first.\n"
        f"curl -sS -X POST {shlex.quote(url)} \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        '  -H "X-Auth-Token: $DRS_TOKEN" \\\n'
        f"  --data-binary {shlex.quote(payload)}\n"
    )


def _variable_name(path: str) -> str:
    """source_endpoint.0.endpoint.db_password -> source_endpoint_db_password; a shard keeps
    its index: source_endpoint_source_sharding_1_db_password."""
    segments = path.split(".")
    parts = [p for i, p in enumerate(segments) if p not in ("endpoint", "ssl") and not (
        p.isdigit() and i and segments[i - 1] in ("source_endpoint", "target_endpoint"))]
    return re.sub(r"[^a-z0-9_]", "_", "_".join(parts).lower())


def _hcl_string(value) -> str:
    return json.dumps(str(value), ensure_ascii=False).replace("${", "$${")


def _hcl_value(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return _hcl_string(value)


def _separated(lines: list[str]) -> list[str]:
    return [""] if len(lines) > 1 else []


def _hcl_key(key: str) -> str:
    """An object key: bare when it is an identifier, else quoted (an imported body may hold
    any key)."""
    return key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key) else _hcl_string(key)


def _hcl_scalar(key: str, value, key_path: str, variables: dict) -> str:
    """A scalar's HCL value; a password is a variable, declared once per path."""
    if key in c.SECRET_FIELDS:
        return f"var.{variables.setdefault(key_path, _variable_name(key_path))}"
    return _hcl_value(value)


def _hcl_json(items, path: str, variables: dict, indent: int) -> str:
    """jsonencode([...]) of a list of flat objects, passwords as variables like elsewhere."""
    flat = isinstance(items, list) and all(
        isinstance(i, dict) and not any(isinstance(v, dict | list) for v in i.values())
        for i in items)
    if not flat:
        return _hcl_string(json.dumps(c.mask_secrets(items)))
    pad = "  " * indent
    rows = [
        f"{pad}  {{ " + ", ".join(
            f"{_hcl_key(key)} = {_hcl_scalar(key, value, f'{path}.{index}.{key}', variables)}"
            for key, value in item.items()) + " },"
        for index, item in enumerate(items)
    ]
    return "jsonencode([\n" + "\n".join(rows) + f"\n{pad}])"


def _hcl_block(name: str, node: dict, path: str, variables: dict, indent: int) -> list[str]:
    pad = "  " * indent
    lines = [f"{pad}{name} {{"]
    scalars = [(k, v) for k, v in node.items() if not isinstance(v, dict | list)]
    width = max((len(k) for k, _ in scalars), default=0)
    for key, value in scalars:
        key_path = f"{path}.{key}" if path else key
        lines.append(f"{pad}  {key.ljust(width)} = {_hcl_scalar(key, value, key_path, variables)}")
    for key, value in node.items():
        key_path = f"{path}.{key}" if path else key
        if key == "source_sharding":  # a JSON string in the provider's schema
            lines.append(f"{pad}  {key} = {_hcl_json(value, key_path, variables, indent + 1)}")
        elif isinstance(value, dict):
            lines += _separated(lines) + _hcl_block(key, value, key_path, variables, indent + 1)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    lines += _separated(lines) + _hcl_block(
                        key, item, f"{key_path}.{index}", variables, indent + 1)
    lines.append(f"{pad}}}")
    return lines


def export_terraform(body: dict, *, resource_name: str, region: str) -> str:
    if problem := c.nesting_problem(body):  # stored before imports refused it
        return (f"# Not exported: the body is {problem}. Remove that field (the review's "
                "\"Remove it\") first.\n")
    job = body.get("job", {}) if isinstance(body, dict) else {}
    variables: dict[str, str] = {}
    name = re.sub(r"[^a-z0-9_]", "_", resource_name.lower()) or "task"
    if not name[0].isalpha():
        name = "task_" + name
    resource = _hcl_block(f'resource "huaweicloud_drs_job_v5" "{name}"', job, "", variables, 0)
    resource.insert(1, f"  region = {_hcl_string(region)}")
    head = [f'variable "{v}" {{\n  type      = string\n  sensitive = true\n}}\n'
            for v in dict.fromkeys(variables.values())]
    return "\n".join(head + resource) + "\n"
