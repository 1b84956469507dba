"""Dotted paths into the `job` object: `source_endpoint.0.endpoint.ip`, `base_info.tags.2.key`.

A segment made of digits indexes a list; any other segment is an object key. The empty path is
the job itself.
"""

_MISSING = object()
MAX_INDEX = 10_000  # set_path pads lists up to an index; refuse absurd ones


def split_path(path):
    return path.split(".") if path else []


def _index(segment):
    return int(segment) if segment.isascii() and segment.isdigit() else None


def _child(container, segment):
    if isinstance(container, dict):
        return container.get(segment, _MISSING)
    if isinstance(container, list):
        index = _index(segment)
        if index is not None and index < len(container):
            return container[index]
    return _MISSING


def get_path(job, path, default=None):
    """The value at `path`, or `default` when any step is missing or of the wrong kind."""
    current = job
    for segment in split_path(path):
        current = _child(current, segment)
        if current is _MISSING:
            return default
    return current


def _put(container, segment, value):
    if isinstance(container, dict):
        container[segment] = value
        return
    index = _index(segment)
    if len(container) <= index:
        container.extend([None] * (index + 1 - len(container)))
    container[index] = value


def _fits(container, segment):
    return isinstance(container, dict) or (
        isinstance(container, list) and _index(segment) is not None
    )


def set_path(job, path, value):
    """Set the value at `path`, creating objects and lists on the way.

    An intermediate value that cannot hold the next segment (a string, a list under a key
    segment…) is replaced by a fresh object or list; lists are padded with None up to an index.
    """
    if not isinstance(job, dict):
        raise TypeError("set_path needs the job object (a dict).")
    segments = split_path(path)
    if not segments:
        raise ValueError("set_path needs a non-empty path.")  # not translated: developers
    if any((_index(s) or 0) > MAX_INDEX for s in segments):
        raise ValueError(f"set_path refuses list indexes above {MAX_INDEX}.")  # not translated
    current = job
    for segment, following in zip(segments, segments[1:], strict=False):
        child = _child(current, segment)
        if not _fits(child, following):
            child = [] if _index(following) is not None else {}
            _put(current, segment, child)
        current = child
    _put(current, segments[-1], value)


def delete_path(job, path):
    """Remove the key or list item at `path`; True when something was removed."""
    segments = split_path(path)
    if not segments:
        return False
    parent = get_path(job, ".".join(segments[:-1]), _MISSING)
    last = segments[-1]
    if isinstance(parent, dict) and last in parent:
        del parent[last]
        return True
    if isinstance(parent, list):
        index = _index(last)
        if index is not None and index < len(parent):
            del parent[index]
            return True
    return False
