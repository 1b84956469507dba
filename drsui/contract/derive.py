"""What a body's author never types: values that follow from others (R-20…R-23, R-34)."""

from .paths import get_path, set_path
from .rules import directions_for, endpoint_name_for, engine_db_types


def derive(job: dict):
    """Set the job direction when the engine allows one, each endpoint's db type and role, and
    the endpoint names (a source shard's too), in place."""
    engine = get_path(job, "base_info.engine_type")
    directions = directions_for(engine)
    if len(directions) == 1:
        set_path(job, "base_info.job_direction", directions[0])
    pair = engine_db_types(engine)
    for index, (side, role) in enumerate((("source", "so"), ("target", "ta"))):
        prefix = f"{side}_endpoint.0"
        entry = get_path(job, prefix)
        if not isinstance(entry, dict):
            continue
        if pair:
            entry["db_type"] = pair[index]
        entry["endpoint_role"] = role
        name = endpoint_name_for(entry.get("db_type"), entry.get("endpoint_type"))
        if name:
            set_path(job, f"{prefix}.endpoint.endpoint_name", name)
            for shard in get_path(job, f"{prefix}.endpoint.source_sharding") or ():
                if isinstance(shard, dict):  # each shard is an endpoint of the same kind
                    shard["endpoint_name"] = name
