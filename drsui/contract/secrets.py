"""Secrets in a `{"job": {...}}` body: find, mask, strip and merge back.

Secret keys are found at any depth (endpoints, ssl, source_sharding entries, and anywhere a body
put them by mistake). The walk is iterative, so deep or odd input never raises.
"""

from .paths import set_path

SECRET_FIELDS = ("db_password", "ssl_cert_key", "ssl_cert_password")
MASK = "******"


def copy_json(value):
    """Deep copy of JSON-like data (dicts and lists), without recursion."""
    if not isinstance(value, dict | list):
        return value
    root = {} if isinstance(value, dict) else []
    stack = [(value, root)]
    while stack:
        source, target = stack.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, item in items:
            if isinstance(item, dict | list):
                copied = {} if isinstance(item, dict) else []
                stack.append((item, copied))
                item = copied
            if isinstance(target, dict):
                target[key] = item
            else:
                target.append(item)
    return root


def _found(root):
    """(parent dict, key, path) of every secret key under root, in document order."""
    stack = [(root, None)]
    while stack:
        value, node = stack.pop()
        items = value.items() if isinstance(value, dict) else enumerate(value)
        children = []
        for key, item in items:
            child = (str(key), node)
            if isinstance(value, dict) and key in SECRET_FIELDS:
                yield value, key, _path(child)
            elif isinstance(item, dict | list):
                children.append((item, child))
        stack.extend(reversed(children))


def _path(node):
    segments = []
    while node is not None:
        segments.append(node[0])
        node = node[1]
    return ".".join(reversed(segments))


def _job(body):
    job = body.get("job") if isinstance(body, dict) else None
    return job if isinstance(job, dict) else None


def secret_paths(body):
    """Dotted paths (relative to `job`) of every secret key present in the body."""
    job = _job(body)
    return [path for _, _, path in _found(job)] if job is not None else []


def mask_secrets(body):
    """A copy of the body with every non-empty secret value replaced by MASK.

    Empty values ("" or null) stay as they are, so a masked body still shows what is missing.
    """
    masked = copy_json(body)
    if isinstance(masked, dict | list):
        for parent, key, _ in list(_found(masked)):
            if parent[key] not in ("", None):
                parent[key] = MASK
    return masked


def strip_secrets(body):
    """(copy of the body without secret keys, {path: value}) — merge_secrets puts them back."""
    stripped = copy_json(body)
    job = _job(stripped)
    if job is None:
        return stripped, {}
    secrets = {}
    for parent, key, path in list(_found(job)):
        secrets[path] = parent.pop(key)
    return stripped, secrets


def merge_secrets(body, secrets):
    """A copy of the body with each {path: value} set under `job`, creating parents as needed.

    Paths that cannot be set (too large a list index…) are skipped.
    """
    merged = copy_json(body)
    if not isinstance(merged, dict) or not isinstance(secrets, dict):
        return merged
    if "job" not in merged:
        merged["job"] = {}
    job = _job(merged)
    if job is None:
        return merged
    for path, value in secrets.items():
        if isinstance(path, str) and path:
            try:
                set_path(job, path, copy_json(value))
            except (TypeError, ValueError):
                continue
    return merged


def body_for_validation(job: dict, secrets: dict) -> dict:
    """The body `{"job": job}` with each stored secret's path set to MASK: validation sees the
    secret is set, and nothing shown of it is the secret."""
    return merge_secrets({"job": job}, {path: MASK for path in secrets})
