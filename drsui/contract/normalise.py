"""normalise(body): the small repairs an imported body may get before validation."""

from .secrets import copy_json


def _int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def normalise(body):
    """A copy of the body with integer expired_days (R-03) and db_port (R-28) turned into strings.

    Anything else is left as it is (validate() reports it); odd input comes back unchanged.
    """
    body = copy_json(body)
    job = body.get("job") if isinstance(body, dict) else None
    if not isinstance(job, dict):
        return body
    base = job.get("base_info")
    if isinstance(base, dict) and _int(base.get("expired_days")):
        base["expired_days"] = str(base["expired_days"])
    for side in ("source_endpoint", "target_endpoint"):
        entries = job.get(side)
        for entry in entries if isinstance(entries, list) else ():
            info = entry.get("endpoint") if isinstance(entry, dict) else None
            if not isinstance(info, dict):
                continue
            shards = info.get("source_sharding")
            shards = [s for s in shards if isinstance(s, dict)] if isinstance(shards, list) else []
            for target in [info, *shards]:
                if _int(target.get("db_port")):
                    target["db_port"] = str(target["db_port"])
    return body
