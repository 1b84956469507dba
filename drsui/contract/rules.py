"""Rule ids with one-line summaries, and the rule helpers the wizard uses to offer valid choices.

Every helper answers from decided values only: an unknown argument gives the widest answer
(or an empty one where nothing can be offered), never an exception.
"""

from .enums import JOB_DIRECTIONS, JOB_TYPES, NET_TYPES, NODE_TYPES, PUBLIC_IP_TYPES, TASK_TYPES
from .i18n import Worded, _


def _rules():
    return {
        "R-00": _(
            'Body shape: a JSON object {"job": {...}}, known fields only, JSON types as the API '
            "page says, and the fields it marks mandatory."
        ),
        "R-01": _(
            "name: 4-50 letters, digits, - and _, starting with a letter; unique per project."
        ),
        "R-02": _("description: at most 256 characters, none of ! < > ' & \" \\."),
        "R-03": _("expired_days: a string holding a whole number from 14 to 100."),
        "R-04": _(
            "tags: at most 20, keys unique; key 1-36 letters (any script), digits, _ or -; "
            "value 1-43 of those or space . : / = + @."
        ),
        "R-05": _("start_time: Unix epoch milliseconds as a string of digits, in the future."),
        "R-06": _("engine_type and job_type form an allowed scenario."),
        "R-07": _("multi_write: required for cloudDataGuard; other job types accept only false."),
        "R-08": _(
            "cloudDataGuard refuses net_type vpc; single-active DR allows only FULL_INCR_TRANS."
        ),
        "R-09": _("is_open_fast_clean: true only for mysql-to-mysql; false on every engine."),
        "R-10": _(
            "job_direction matches the endpoints: up = cloud target, down = cloud source, "
            "non-dbs = no cloud side."
        ),
        "R-11": _('enterprise_project_id: a non-empty string (default "0"), or null for not set.'),
        "R-20": _(
            "source_endpoint and target_endpoint hold exactly one entry each, with role so / ta."
        ),
        "R-21": _("db_type follows the engine: source left of -to-, target right of it."),
        "R-22": _("endpoint_type allowed for the db_type."),
        "R-23": _("endpoint.endpoint_name fixed by db_type and endpoint_type."),
        "R-24": _("cloud (region, project_id) required for ecs and cloud endpoints."),
        "R-25": _("vpc (vpc_id, subnet_id) required for ecs endpoints."),
        "R-26": _("cloud endpoints require endpoint.instance_id."),
        "R-27": _(
            "offline and ecs endpoints require endpoint.ip and endpoint.db_port "
            "(Redis Cluster: ip is a host:port list of 1-32 shards, no db_port)."
        ),
        "R-28": _("db_port: a string holding a whole number from 1 to 65535."),
        "R-29": _(
            "db_user and db_password on every endpoint, non-empty (Redis sources may omit the "
            "user)."
        ),
        "R-30": _(
            "config.is_target_readonly: true only on a MySQL target going up for migration or "
            "DR; false in any config block, except single-active DR, which needs true."
        ),
        "R-31": _(
            "config.node_num only on a Redis Cluster source: 1-16, at most the number of shards."
        ),
        "R-32": _(
            "ssl with ssl_link true needs certificate name, base64 content, source checksum, and "
            "a password for .p12."
        ),
        "R-33": _(
            "customized_dns needs is_set_dns, set_dns_action and dns_ip: an IPv4 address for "
            'add and update, "" allowed for keep and recover.'
        ),
        "R-34": _("endpoint.source_sharding: only on a source, entries follow the endpoint rules."),
        "R-40": _("period_order required for yearly/monthly billing, refused for pay-per-use."),
        "R-41": _("period_type 2 (month) or 3 (year); period_num 1-9 months or 1-3 years."),
        "R-42": _("Warning: yearly/monthly tasks ignore expired_days."),
        "R-50": _("node_info with spec.node_type is required."),
        "R-51": _("node_type micro/small/medium/high for sync; high for every other job type."),
        "R-52": _(
            "node_info.vpc (vpc_id, subnet_id) required when an endpoint is self-built; "
            "custom_node_ip one IPv4 per node."
        ),
        "R-53": _(
            "node_info.base_info: instance_type, arch and availability_zone (one AZ, two for ha)."
        ),
        "R-60": _(
            "public_ip_list only with eip: id, IPv4 public_ip and type, one per type, slave "
            "only for ha."
        ),
    }


# Rule ids with one-line summaries, in the active language.
RULES = Worded(_rules)

# R-06, in the order the wizard offers them (the API page's own example first).
SCENARIOS = (
    ("sync", "oracle-to-gaussdbv5"),
    ("sync", "mysql-to-mysql"),
    ("migration", "mysql-to-mysql"),
    ("cloudDataGuard", "mysql-to-mysql"),
    ("migration", "redis-to-gaussredis"),
    ("migration", "rediscluster-to-gaussredis"),
)

#
_ENGINE_DB_TYPES = {
    "mysql-to-mysql": ("mysql", "mysql"),
    "redis-to-gaussredis": ("redis", "gaussredis"),
    "rediscluster-to-gaussredis": ("rediscluster", "gaussredis"),
    "oracle-to-gaussdbv5": ("oracle", "gaussdbv5"),
}

#
_ENDPOINT_TYPES = {
    "mysql": ("offline", "ecs", "cloud"),
    "oracle": ("offline", "ecs"),
    "redis": ("offline", "ecs"),
    "rediscluster": ("offline", "ecs"),
    "gaussdbv5": ("cloud",),
    "gaussredis": ("cloud",),
}

#
_CLOUD_ENDPOINT_NAMES = {
    "mysql": "cloud_mysql",
    "gaussdbv5": "cloud_gaussdbv5",
    "gaussredis": "cloud_gaussdb_redis",
}

_PERIOD_NUMS = {2: range(1, 10), 3: range(1, 4)}
_AZ_COUNTS = {"single": 1, "ha": 2}
NODE_NUM_MAX = 16
SIDES = ("source", "target")
SELF_BUILT = ("offline", "ecs")  # endpoint types of a self-built database


def engine_db_types(engine_type):
    """(source db_type, target db_type) of an engine, or None (R-21)."""
    return _ENGINE_DB_TYPES.get(engine_type) if isinstance(engine_type, str) else None


def endpoint_types_for(db_type):
    """endpoint_type values allowed for a db_type (R-22)."""
    return _ENDPOINT_TYPES.get(db_type, ()) if isinstance(db_type, str) else ()


def endpoint_name_for(db_type, endpoint_type):
    """The endpoint_name fixed by db_type and endpoint_type, or None when not allowed (R-23)."""
    if endpoint_type not in endpoint_types_for(db_type):
        return None
    if endpoint_type == "offline":
        return db_type
    if endpoint_type == "ecs":
        return f"ecs_{db_type}"
    return _CLOUD_ENDPOINT_NAMES.get(db_type)


def has_name(job: dict) -> bool:
    """Whether the task is named. R-01 lets DRS make a name up; drsui sends only named tasks, as
    a send whose answer was lost is found again at DRS by its name."""
    base_info = job.get("base_info") if isinstance(job, dict) else None
    name = base_info.get("name") if isinstance(base_info, dict) else None
    return bool(str(name or "").strip())


def is_self_built(endpoint_type):
    """Whether an endpoint is a self-built database: offline or on ECS (R-27, R-52)."""
    return endpoint_type in SELF_BUILT


def endpoint_cloud_required(endpoint_type):
    """Whether an endpoint needs cloud (region, project_id): ecs and cloud (R-24).

    Any endpoint may carry it.
    """
    return endpoint_type in ("ecs", "cloud")


def endpoint_vpc_required(endpoint_type):
    """Whether an endpoint needs vpc (vpc_id, subnet_id): ecs only (R-25). Any may carry it."""
    return endpoint_type == "ecs"


def db_user_may_be_empty(side, db_type):
    """Whether db_user may be "" (R-29): on a Redis or Redis Cluster source (password-only AUTH).

    Also while the source's db_type is unknown.
    """
    return side == "source" and (db_type is None or db_type in ("redis", "rediscluster"))


def directions_for(engine_type):
    """job_direction values an engine can take (R-10 with R-22)."""
    db_types = engine_db_types(engine_type)
    if not db_types:
        return ()
    source, target = (set(endpoint_types_for(db)) for db in db_types)
    allowed = {
        "up": "cloud" in target,
        "down": "cloud" in source,
        "non-dbs": bool(source - {"cloud"}) and bool(target - {"cloud"}),
    }
    return tuple(d for d in JOB_DIRECTIONS if allowed[d])


def endpoint_types_for_side(engine_type, job_direction, side):
    """endpoint_type values for the source or target side: R-22 narrowed by R-10."""
    db_types = engine_db_types(engine_type)
    if not db_types or side not in SIDES:
        return ()
    types = endpoint_types_for(db_types[SIDES.index(side)])
    if job_direction == "non-dbs":
        return tuple(t for t in types if t != "cloud")
    if (job_direction, side) in (("up", "target"), ("down", "source")):
        return tuple(t for t in types if t == "cloud")
    return types


def net_types_for(job_type):
    """net_type values for a job type (R-08: no vpc for DR)."""
    if job_type == "cloudDataGuard":
        return tuple(n for n in NET_TYPES if n != "vpc")
    return NET_TYPES


def task_types_for(job_type, multi_write):
    """task_type values (R-08: single-active DR is FULL_INCR_TRANS only)."""
    if job_type == "cloudDataGuard" and multi_write is False:
        return ("FULL_INCR_TRANS",)
    return TASK_TYPES


def node_types_for(job_type):
    """node_type values for a job type (R-51); every size when the job type is unknown."""
    if job_type in JOB_TYPES and job_type != "sync":
        return ("high",)
    return NODE_TYPES


def period_num_range(period_type):
    """Allowed period_num values for a period_type (R-41); empty when unknown."""
    if not isinstance(period_type, int) or isinstance(period_type, bool):
        return range(0)
    return _PERIOD_NUMS.get(period_type, range(0))


def az_count_for(instance_type):
    """How many availability zones an instance type takes (R-53); 0 when unknown."""
    return _AZ_COUNTS.get(instance_type, 0) if isinstance(instance_type, str) else 0


def readonly_target_allowed(engine_type, job_type, job_direction):
    """Whether config.is_target_readonly may be true on the target (R-30).

    false is accepted in every config block, source or target.
    """
    return (
        engine_type == "mysql-to-mysql"
        and job_direction == "up"
        and job_type in ("migration", "cloudDataGuard")
    )


def readonly_target_required(engine_type, job_type, job_direction, multi_write):
    """Whether config.is_target_readonly must not be false on the target (R-30).

    Single-active DR with this cloud as standby; left out, it is true (the API's default).
    """
    return (
        readonly_target_allowed(engine_type, job_type, job_direction)
        and job_type == "cloudDataGuard"
        and multi_write is False
    )


def node_num_allowed(engine_type):
    """Whether config.node_num may be set on the source (R-31)."""
    return engine_type == "rediscluster-to-gaussredis"


def node_num_range(shard_count=None):
    """Allowed config.node_num values (R-31): 1-16, and at most shard_count when it is known."""
    top = NODE_NUM_MAX
    if isinstance(shard_count, int) and not isinstance(shard_count, bool) and shard_count > 0:
        top = min(top, shard_count)
    return range(1, top + 1)


def fast_clean_allowed(engine_type):
    """Whether base_info.is_open_fast_clean may be true (R-09); false is accepted everywhere."""
    return engine_type == "mysql-to-mysql"


def multi_write_allowed(job_type):
    """Whether base_info.multi_write may be true, and must be given (R-07: DR only).

    false is accepted on every job type (Terraform sends it on every job).
    """
    return job_type == "cloudDataGuard"


def dns_ip_required(set_dns_action):
    """Whether customized_dns.dns_ip must hold an address (R-33): for add and update.

    For keep and recover it may be "".
    """
    return set_dns_action in ("add", "update")


def node_vpc_required(source_endpoint_type, target_endpoint_type):
    """Whether node_info.vpc must be given (R-52): when either endpoint is self-built.

    Optional when both are cloud, and not decided while neither side is known to be self-built.
    """
    return is_self_built(source_endpoint_type) or is_self_built(target_endpoint_type)


def public_ips_allowed(net_type):
    """Whether public_ip_list may be given (R-60)."""
    return net_type == "eip"


def public_ip_types_for(instance_type):
    """public_ip_list[].type values for a DRS instance type (R-60: slave only for ha).

    Both while the instance type is unknown; a node_info without base_info is a single instance.
    """
    if instance_type == "single":
        return ("master",)
    return PUBLIC_IP_TYPES


def redis_shards(ip_string):
    """The shard entries of a Redis Cluster ip list ("host:port,host:port"), blanks dropped."""
    if not isinstance(ip_string, str):
        return []
    return [part.strip() for part in ip_string.split(",") if part.strip()]
