"""A wave's rows: one template job, a few varying paths, one row of values per task.

A row is `{path: text}` as typed in a cell or read from a CSV/XLSX file. Applied to a job it
sets each path to the JSON value its field takes (SHAPE), or removes it when the cell is empty;
a secret's cell goes to the secrets instead (empty: the secret kept). Paths are relative to
`job`, as validate() reports them, e.g. "source_endpoint.0.endpoint.ip".
"""

from .i18n import gettext as _
from .paths import delete_path, get_path, set_path
from .secrets import MASK, SECRET_FIELDS, copy_json
from .validate.shape import shape_paths

NAME_PATH = "base_info.name"
_FIELD_TYPES = {path: json_type for path, json_type in shape_paths()
                if json_type not in ("obj", "list")}
_TRUE = ("true", "yes", "1")
_FALSE = ("false", "no", "0")


def _shape_path(path: str) -> str:
    return ".".join("*" if segment.isdigit() else segment for segment in path.split("."))


def field_type(path: str) -> str | None:
    """The JSON type of the field at `path` ("str", "int", "bool", "str_or_null"), or None
    when `path` names no field a cell can hold (an object, a list, or nothing of the body)."""
    if not isinstance(path, str) or not path or path.startswith(".") or ".." in path:
        return None
    return _FIELD_TYPES.get(_shape_path(path))


def is_secret_path(path: str) -> bool:
    return path.rpartition(".")[2] in SECRET_FIELDS


def path_problem(path: str, job: dict | None = None) -> str:
    """Why `path` cannot be a wave's column, or "" when it can. Given the template's `job`, a
    list index may name an entry it has or the next one (source_endpoint.99 pads no list)."""
    if field_type(path) is None:
        return _("%(path)s is not a field of the body that holds one value.") % {"path": path}
    segments = path.split(".")
    for at, segment in enumerate(segments if job is not None else ()):
        if segment.isdigit():
            held = get_path(job, ".".join(segments[:at]))
            if int(segment) > (len(held) if isinstance(held, list) else 0):
                return _("%(path)s names an entry past the end of the template's %(list)s.") \
                    % {"path": path, "list": ".".join(segments[:at])}
    return ""


def cell_text(value) -> str:
    """A cell as text: None is empty, and a NUL is dropped (no field takes one, and
    PostgreSQL stores none)."""
    return ("" if value is None else str(value)).replace("\x00", "")


def value_from_text(path: str, text: str):
    """A cell's text as the JSON value of the field at `path`. Text that is no such value
    stays text, so validate() says what is wrong with it and nothing typed is lost."""
    json_type = field_type(path)
    if json_type == "bool" and text.strip().lower() in _TRUE + _FALSE:
        return text.strip().lower() in _TRUE
    if json_type == "int" and text.strip().lstrip("-").isdigit():
        return int(text.strip())
    return text


def text_from_value(value) -> str:
    """A job's value as a cell shows it (the inverse of value_from_text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float | str) else ""


def _endpoint_prefix(job: dict, side: str) -> str:
    entries = job.get(side)
    return f"{side}.0" if isinstance(entries, list) else side


def proposed_paths(job: dict) -> list[str]:
    """The columns most waves vary: the name, the source's address, user and password, the
    target instance (or address, for a self-built target)."""
    source, target = _endpoint_prefix(job, "source_endpoint"), _endpoint_prefix(
        job, "target_endpoint")
    paths = [NAME_PATH]
    if get_path(job, f"{source}.endpoint.instance_id"):
        paths.append(f"{source}.endpoint.instance_id")
    else:
        paths += [f"{source}.endpoint.ip", f"{source}.endpoint.db_port"]
    paths += [f"{source}.endpoint.db_user", f"{source}.endpoint.db_password"]
    if get_path(job, f"{target}.endpoint.ip") and not get_path(
            job, f"{target}.endpoint.instance_id"):
        paths += [f"{target}.endpoint.ip", f"{target}.endpoint.db_port"]
    else:
        paths.append(f"{target}.endpoint.instance_id")
    return paths


def row_apply(job: dict, secrets: dict, row: dict) -> tuple[dict, dict]:
    """(job, secrets) with the row's cells applied: a copy, `job` and `secrets` unchanged.

    A non-secret cell sets its path (empty: removes it); a secret's cell sets that secret
    (empty or `******`, as the JSON export shows one: the one in `secrets` is kept). Paths
    that name no field are left out."""
    job, secrets = copy_json(job), dict(secrets)
    for path, text in row.items():
        if field_type(path) is None:
            continue
        text = cell_text(text)
        if is_secret_path(path):
            if text and text != MASK:
                secrets[path] = text
        elif text == "":
            delete_path(job, path)
        else:
            set_path(job, path, value_from_text(path, text))
    return job, secrets


def row_of(job: dict, paths: list[str]) -> dict:
    """The cells a job shows for `paths` (secrets: "", as they are never shown back)."""
    return {path: "" if is_secret_path(path) else text_from_value(get_path(job, path))
            for path in paths}


def column_of(path: str, columns: list[str]) -> str | None:
    """The column a violation at `path` belongs to: the column that is `path` or holds it
    (the longest), or None for a problem of the template's part of the body."""
    found = None
    for column in columns:
        if path == column or path.startswith(column + "."):
            if found is None or len(column) > len(found):
                found = column
    return found

