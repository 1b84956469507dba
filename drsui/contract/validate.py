"""validate(body) -> list[Violation]: the create-job body against rules R-00…R-60.

The walk follows the body's own key order, so violations come out in document order. Values of
unknown fields and values of the wrong JSON type are reported and never descended into, so deep
or huge input costs no more than reading it once. Checks that depend on a value decided elsewhere
(the engine, the job type, the direction…) are skipped while that value is itself invalid: the
person fixes one thing at a time and never sees the same mistake twice.
"""

import difflib
import re
import time
from dataclasses import dataclass

from . import checks
from .enums import (
    ARCHES,
    AUTO_RENEW,
    CHARGING_MODES,
    DB_TYPES,
    DNS_ACTIONS,
    ENDPOINT_NAMES,
    ENDPOINT_TYPES,
    ENGINE_TYPES,
    INSTANCE_TYPES,
    JOB_DIRECTIONS,
    JOB_TYPES,
    LABELS,
    NET_TYPES,
    NODE_TYPES,
    PERIOD_TYPES,
    PUBLIC_IP_TYPES,
    TASK_TYPES,
)
from .rules import (
    SCENARIOS,
    SIDES,
    az_count_for,
    directions_for,
    endpoint_name_for,
    endpoint_types_for,
    endpoint_types_for_side,
    engine_db_types,
    node_types_for,
    period_num_range,
    readonly_target_allowed,
)
from .secrets import MASK

MAX_VIOLATIONS = 200
MAX_MESSAGE = 400
MAX_KEY_IN_PATH = 100
INCOMPLETE = "The body could not be checked completely; simplify it and try again."


@dataclass(frozen=True)
class Violation:
    path: str
    rule: str
    message: str

    def as_dict(self):
        return {"field": self.path, "rule": self.rule, "message": self.message}


# Field tables: the API page's tables 4-19, with JSON types.
_FIELDS = {
    "job": {
        "base_info": "obj",
        "source_endpoint": "list",
        "target_endpoint": "list",
        "period_order": "obj",
        "node_info": "obj",
        "public_ip_list": "list",
    },
    "base_info": {
        "name": "str",
        "job_type": "str",
        "multi_write": "bool",
        "engine_type": "str",
        "job_direction": "str",
        "task_type": "str",
        "net_type": "str",
        "charging_mode": "str",
        "enterprise_project_id": "str",
        "description": "str",
        "start_time": "str",
        "expired_days": "str",
        "tags": "list",
        "is_open_fast_clean": "bool",
    },
    "tag": {"key": "str", "value": "str"},
    "endpoint_entry": {
        "db_type": "str",
        "endpoint_type": "str",
        "endpoint_role": "str",
        "endpoint": "obj",
        "cloud": "obj",
        "vpc": "obj",
        "config": "obj",
        "ssl": "obj",
        "customized_dns": "obj",
    },
    "endpoint": {
        "id": "str",
        "endpoint_name": "str",
        "ip": "str",
        "db_port": "str",
        "db_user": "str",
        "db_password": "str",
        "instance_id": "str",
        "instance_name": "str",
        "db_name": "str",
        "source_sharding": "list",
    },
    "cloud": {"region": "str", "project_id": "str", "az_code": "str"},
    "vpc": {"vpc_id": "str", "subnet_id": "str", "security_group_id": "str"},
    "config": {"is_target_readonly": "bool", "node_num": "int"},
    "ssl": {
        "ssl_link": "bool",
        "ssl_cert_name": "str",
        "ssl_cert_key": "str",
        "ssl_cert_check_sum": "str",
        "ssl_cert_password": "str",
    },
    "customized_dns": {"is_set_dns": "bool", "set_dns_action": "str", "dns_ip": "str"},
    "period_order": {"period_type": "int", "period_num": "int", "is_auto_renew": "int"},
    "node_info": {"spec": "obj", "vpc": "obj", "base_info": "obj"},
    "spec": {"node_type": "str"},
    "node_vpc": {
        "vpc_id": "str",
        "subnet_id": "str",
        "custom_node_ip": "str",
        "security_group_id": "str",
    },
    "node_base": {
        "instance_type": "str",
        "arch": "str",
        "availability_zone": "str",
        "status": "str",
        "role": "str",
    },
    "public_ip": {"id": "str", "public_ip": "str", "type": "str"},
}

_IS = {
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "obj": lambda v: isinstance(v, dict),
    "list": lambda v: isinstance(v, list),
}
_WANT = {
    "str": "text in quotes (a JSON string)",
    "bool": "true or false (a JSON boolean)",
    "int": "a whole number without quotes",
    "obj": "an object { … }",
    "list": "a list [ … ]",
}

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{3,49}")
_DESCRIPTION_FORBIDDEN = set("!<>'&\"\\")
_TAG_KEY = re.compile(r"[\w-]{1,36}")  # letters of any script, digits, _ and -
_TAG_VALUE = re.compile(r"[\w-]{1,43}")
_EPOCH_MS = re.compile(r"[0-9]{1,16}")
_DAYS = re.compile(r"[0-9]{1,3}")
_SIDE_WORD = {"source": "source", "target": "target"}
_ROLE = {"source": "so", "target": "ta"}


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _label(value):
    return LABELS.get(value, value)


def _quoted(values):
    return ", ".join(f'"{v}"' for v in values)


def _clip(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _join(path, key):
    segment = _clip(key, MAX_KEY_IN_PATH) if isinstance(key, str) else str(key)
    return f"{path}.{segment}" if path else segment


def _pick(value, options):
    """The value when it is one of the options, else None (a string or int, never a bool)."""
    if isinstance(value, str | int) and not isinstance(value, bool) and value in options:
        return value
    return None


def _obj(value):
    return value if isinstance(value, dict) else {}


class _Full(Exception):
    """Raised once MAX_VIOLATIONS are collected: the rest of the walk is not needed."""


class _Checker:
    def __init__(self, job, now_ms):
        self.found = []
        self.now_ms = now_ms if isinstance(now_ms, int) and not isinstance(now_ms, bool) else None
        base = _obj(job.get("base_info"))
        self.engine = _pick(base.get("engine_type"), ENGINE_TYPES)
        job_type = _pick(base.get("job_type"), JOB_TYPES)
        if self.engine and (job_type, self.engine) not in SCENARIOS:
            job_type = None  # R-06 refuses the pair: nothing can depend on it
        self.job_type = job_type
        direction = _pick(base.get("job_direction"), JOB_DIRECTIONS)
        if self.engine and direction not in directions_for(self.engine):
            direction = None
        self.direction = direction
        multi_write = base.get("multi_write")
        dr = job_type == "cloudDataGuard"
        self.multi_write = multi_write if dr and isinstance(multi_write, bool) else None
        self.net_type = _pick(base.get("net_type"), NET_TYPES)
        self.charging = _pick(base.get("charging_mode", "on_demand"), CHARGING_MODES)
        node_info = job.get("node_info")
        if not isinstance(node_info, dict):
            self.instance_type = None
        elif "base_info" not in node_info:
            self.instance_type = "single"  # no base_info: DRS creates a single instance
        else:
            node_base = _obj(node_info["base_info"])
            self.instance_type = _pick(node_base.get("instance_type"), INSTANCE_TYPES)

    def add(self, path, rule, message):
        if len(self.found) >= MAX_VIOLATIONS:
            raise _Full
        self.found.append(Violation(path, rule, _clip(message, MAX_MESSAGE)))

    def walk(self, obj, path, kind, field_checks, required=()):
        """Check each key of obj in order, then report the required keys that are absent.

        field_checks: {key: fn(value, path)} run on values of the right JSON type.
        required: (key, rule, message) reported when key is absent.
        """
        fields = _FIELDS[kind]
        for key, value in obj.items():
            where = _join(path, key)
            want = fields.get(key) if isinstance(key, str) else None
            if want is None:
                self.add(where, "R-00", _unknown_message(key, fields))
            elif not _IS[want](value):
                self.add(where, "R-00", f"Must be {_WANT[want]}, not {_kind(value)}.")
            elif key in field_checks:
                field_checks[key](value, where)
        for key, rule, message in required:
            if key not in obj:
                self.add(_join(path, key), rule, message)

    def objects(self, items, path, kind, check):
        """Each item of a list must be an object; check(item, path) the ones that are."""
        for index, item in enumerate(items):
            where = _join(path, index)
            if isinstance(item, dict):
                check(item, where)
            else:
                self.add(where, "R-00", f"Must be {_WANT['obj']}, not {_kind(item)}.")

    def non_empty(self, rule, message):
        def check(value, path):
            if not value.strip():
                self.add(path, rule, message)

        return check

    # job ------------------------------------------------------------------------------------

    def job(self, job):
        required = [
            ("base_info", "R-00", "Add base_info: the task's name, scenario and engine."),
            ("source_endpoint", "R-20", "Add the source endpoint (exactly one)."),
            ("target_endpoint", "R-20", "Add the target endpoint (exactly one)."),
        ]
        if self.charging == "period":
            required.append(("period_order", "R-40", "Yearly/monthly billing needs period_order."))
        required.append(("node_info", "R-50", "Add node_info with the DRS instance's node type."))
        self.walk(
            job,
            "",
            "job",
            {
                "base_info": self.base_info,
                "source_endpoint": lambda v, p: self.endpoints(v, p, "source"),
                "target_endpoint": lambda v, p: self.endpoints(v, p, "target"),
                "period_order": self.period_order,
                "node_info": self.node_info,
                "public_ip_list": self.public_ip_list,
            },
            required,
        )

    # base_info ------------------------------------------------------------------------------

    def base_info(self, base, path):
        required = [
            (
                "job_type",
                "R-06",
                "Choose a scenario (job_type): migration, sync or cloudDataGuard.",
            ),
            ("engine_type", "R-06", f"Choose an engine (engine_type): {_quoted(ENGINE_TYPES)}."),
            ("job_direction", "R-10", "Choose a direction (job_direction): up, down or non-dbs."),
            ("task_type", "R-00", f"Choose a migration type (task_type): {_quoted(TASK_TYPES)}."),
            ("net_type", "R-00", f"Choose a network type (net_type): {_quoted(NET_TYPES)}."),
        ]
        if self.job_type == "cloudDataGuard":
            required.append(
                (
                    "multi_write",
                    "R-07",
                    "Disaster recovery needs multi_write: true for "
                    "dual-active, false for single-active.",
                )
            )
        self.walk(
            base,
            path,
            "base_info",
            {
                "name": self.name,
                "job_type": self.job_type_field,
                "multi_write": self.multi_write_field,
                "engine_type": self.engine_type_field,
                "job_direction": self.job_direction_field,
                "task_type": self.task_type_field,
                "net_type": self.net_type_field,
                "charging_mode": self.charging_mode_field,
                "enterprise_project_id": self.non_empty(
                    "R-11",
                    'Enterprise project ID must not be empty; use "0" for the default '
                    "enterprise project.",
                ),
                "description": self.description,
                "start_time": self.start_time,
                "expired_days": self.expired_days,
                "tags": self.tags,
                "is_open_fast_clean": self.fast_clean,
            },
            required,
        )

    def name(self, value, path):
        if not _NAME.fullmatch(value):
            self.add(
                path,
                "R-01",
                "Name must be 4–50 characters: letters, digits, - and _, starting with a letter.",
            )

    def description(self, value, path):
        if len(value) > 256:
            self.add(
                path, "R-02", f"Description must be at most 256 characters (it has {len(value)})."
            )
        elif _DESCRIPTION_FORBIDDEN.intersection(value):
            self.add(path, "R-02", "Description must not contain any of ! < > ' & \" \\.")

    def expired_days(self, value, path):
        if not (_DAYS.fullmatch(value) and 14 <= int(value) <= 100):
            self.add(
                path,
                "R-03",
                "Expiry must be a whole number of days from 14 to 100, "
                'written as a string, e.g. "14".',
            )

    def tags(self, tags, path):
        if len(tags) > 20:
            self.add(path, "R-04", f"At most 20 tags are allowed (this list has {len(tags)}).")
        seen = set()

        def key(value, where):
            if not _TAG_KEY.fullmatch(value):
                self.add(
                    where, "R-04", "Tag key must be 1–36 characters: letters, digits, _ and -."
                )
            elif value in seen:
                self.add(
                    where, "R-04", f'Tag key "{value}" is used more than once; keys must be unique.'
                )
            seen.add(value)

        def tag_value(value, where):
            if not _TAG_VALUE.fullmatch(value):
                self.add(
                    where, "R-04", "Tag value must be 1–43 characters: letters, digits, _ and -."
                )

        def tag(item, where):
            self.walk(
                item,
                where,
                "tag",
                {"key": key, "value": tag_value},
                [("key", "R-04", "Each tag needs a key.")],
            )

        self.objects(tags, path, "tag", tag)

    def start_time(self, value, path):
        if not _EPOCH_MS.fullmatch(value):
            self.add(
                path,
                "R-05",
                "Start time must be Unix epoch milliseconds written as a "
                'string of digits, e.g. "1684466549755".',
            )
        elif self.now_ms is not None and int(value) <= self.now_ms:
            self.add(path, "R-05", "Start time must be in the future.")

    def job_type_field(self, value, path):
        if value not in JOB_TYPES:
            self.add(path, "R-06", f"Scenario must be one of {_quoted(JOB_TYPES)}.")
        elif self.engine and (value, self.engine) not in SCENARIOS:
            allowed = [job for job, engine in SCENARIOS if engine == self.engine]
            self.add(
                path,
                "R-06",
                f"{_label(self.engine)} allows only the scenario "
                f"{' or '.join(_quoted([a]) for a in allowed)}.",
            )

    def engine_type_field(self, value, path):
        if value not in ENGINE_TYPES:
            self.add(path, "R-06", f"Engine must be one of {_quoted(ENGINE_TYPES)}.")

    def multi_write_field(self, value, path):
        if self.job_type and self.job_type != "cloudDataGuard":
            self.add(
                path,
                "R-07",
                "multi_write applies only to disaster recovery (cloudDataGuard); remove it.",
            )

    def job_direction_field(self, value, path):
        if value not in JOB_DIRECTIONS:
            self.add(path, "R-10", f"Direction must be one of {_quoted(JOB_DIRECTIONS)}.")
        elif self.engine and value not in directions_for(self.engine):
            allowed = directions_for(self.engine)
            self.add(
                path,
                "R-10",
                f"{_label(self.engine)} tasks can only use direction "
                f"{' or '.join(_quoted([a]) for a in allowed)}: the target is always a "
                "Huawei Cloud DB instance.",
            )

    def task_type_field(self, value, path):
        if value not in TASK_TYPES:
            self.add(path, "R-00", f"Migration type must be one of {_quoted(TASK_TYPES)}.")
        elif (
            self.job_type == "cloudDataGuard"
            and self.multi_write is False
            and (value != "FULL_INCR_TRANS")
        ):
            self.add(
                path,
                "R-08",
                "Single-active disaster recovery allows only "
                '"FULL_INCR_TRANS" (full + incremental).',
            )

    def net_type_field(self, value, path):
        if value not in NET_TYPES:
            self.add(path, "R-00", f"Network type must be one of {_quoted(NET_TYPES)}.")
        elif self.job_type == "cloudDataGuard" and value == "vpc":
            self.add(
                path, "R-08", 'Disaster recovery cannot use a VPC network; choose "eip" or "vpn".'
            )

    def charging_mode_field(self, value, path):
        if value not in CHARGING_MODES:
            self.add(path, "R-00", f"Billing mode must be one of {_quoted(CHARGING_MODES)}.")

    def fast_clean(self, value, path):
        if self.engine and self.engine != "mysql-to-mysql":
            self.add(
                path,
                "R-09",
                "Fast binlog clearing applies only to MySQL → MySQL; remove is_open_fast_clean.",
            )

    # endpoints ------------------------------------------------------------------------------

    def endpoints(self, entries, path, side):
        word = _SIDE_WORD[side]
        if not entries:
            self.add(path, "R-20", f"Add exactly one {word} endpoint.")
            return
        if len(entries) > 1:
            self.add(
                path,
                "R-20",
                f"Exactly one {word} endpoint is allowed (this list has {len(entries)}).",
            )
        self.objects(
            entries[:1],
            path,
            "endpoint_entry",
            lambda entry, where: self.endpoint_entry(entry, where, side),
        )

    def endpoint_entry(self, entry, path, side):
        word = _SIDE_WORD[side]
        expected_db = (engine_db_types(self.engine) or (None, None))[SIDES.index(side)]
        db = _pick(entry.get("db_type"), DB_TYPES)
        if expected_db and db != expected_db:
            db = None
        endpoint_type = _pick(entry.get("endpoint_type"), endpoint_types_for(db))
        info = _obj(entry.get("endpoint"))
        shards = None
        if db == "rediscluster" and self._cluster_ok(info.get("ip")):
            shards = len(checks.split_list(info["ip"]))

        def db_type(value, where):
            if value not in DB_TYPES:
                self.add(where, "R-21", f"Database type must be one of {_quoted(DB_TYPES)}.")
            elif expected_db and value != expected_db:
                self.add(
                    where,
                    "R-21",
                    f'For {_label(self.engine)} the {word} database type must be "{expected_db}".',
                )

        def endpoint_type_field(value, where):
            allowed = endpoint_types_for(db)
            side_allowed = endpoint_types_for_side(self.engine, self.direction, side)
            if value not in ENDPOINT_TYPES:
                self.add(where, "R-22", f"Endpoint type must be one of {_quoted(ENDPOINT_TYPES)}.")
            elif db and value not in allowed:
                self.add(
                    where, "R-22", f"A {_label(db)} {word} can only be {_types_phrase(allowed)}."
                )
            elif self.engine and db and self.direction and value not in side_allowed:
                self.add(
                    where,
                    "R-10",
                    f'With direction "{self.direction}" the {word} must be '
                    f"{_types_phrase(side_allowed)}.",
                )

        def role(value, where):
            if value != _ROLE[side]:
                self.add(where, "R-20", f'The {word} endpoint\'s role must be "{_ROLE[side]}".')

        required = [
            (
                "db_type",
                "R-21",
                "Set the database type (db_type)"
                + (f': "{expected_db}" for this engine.' if expected_db else "."),
            ),
            (
                "endpoint_type",
                "R-22",
                "Set the endpoint type (endpoint_type): "
                + (_types_phrase(endpoint_types_for(db)) if db else _quoted(ENDPOINT_TYPES))
                + ".",
            ),
            ("endpoint_role", "R-20", f'Set the endpoint role (endpoint_role): "{_ROLE[side]}".'),
            ("endpoint", "R-00", "Add the endpoint object with the connection details."),
        ]
        if endpoint_type in ("ecs", "cloud"):
            owner = "A database on ECS" if endpoint_type == "ecs" else "A Huawei Cloud DB instance"
            required.append(
                ("cloud", "R-24", f"{owner} needs cloud with its region and project_id.")
            )
        if endpoint_type == "ecs":
            required.append(
                ("vpc", "R-25", "A database on ECS needs vpc with its vpc_id and subnet_id.")
            )
        self.walk(
            entry,
            path,
            "endpoint_entry",
            {
                "db_type": db_type,
                "endpoint_type": endpoint_type_field,
                "endpoint_role": role,
                "endpoint": lambda v, p: self.endpoint_info(v, p, side, db, endpoint_type),
                "cloud": self.cloud,
                "vpc": self.endpoint_vpc,
                "config": lambda v, p: self.config(v, p, side, shards),
                "ssl": lambda v, p: self.ssl(v, p, side),
                "customized_dns": self.customized_dns,
            },
            required,
        )

    def endpoint_info(self, info, path, side, db, endpoint_type, sharding=False):
        """The endpoint object; also each source_sharding entry (R-34: same rules)."""
        expected_name = endpoint_name_for(db, endpoint_type)
        self_built = endpoint_type in ("offline", "ecs")

        def name(value, where):
            if expected_name and value != expected_name:
                self.add(
                    where,
                    "R-23",
                    f'For a {_label(db)} endpoint of type "{endpoint_type}" '
                    f'the endpoint name must be "{expected_name}".',
                )
            elif value not in ENDPOINT_NAMES:
                self.add(where, "R-23", f"Endpoint name must be one of {_quoted(ENDPOINT_NAMES)}.")

        def ip(value, where):
            if db == "rediscluster":
                self._cluster_ip(value, where)
            elif db and not checks.is_host(value):
                self.add(where, "R-27", "Host must be one IPv4 or IPv6 address or a host name.")
            elif not value.strip():
                self.add(where, "R-27", "Host must not be empty.")

        def port(value, where):
            if not checks.is_port(value):
                self.add(
                    where,
                    "R-28",
                    "Port must be a whole number from 1 to 65535, written "
                    'as a string, e.g. "3306".',
                )

        def user(value, where):
            password_only = side == "source" and (db is None or db in ("redis", "rediscluster"))
            if not value and not password_only:
                self.add(where, "R-29", "Database user must not be empty.")

        def instance_id(value, where):
            if endpoint_type == "cloud" and not value.strip():
                self.add(where, "R-26", "Instance ID must not be empty.")

        def sharding_list(value, where):
            if sharding:
                self.add(
                    where, "R-34", "A source_sharding entry cannot have its own source_sharding."
                )
            elif side != "source":
                self.add(
                    where,
                    "R-34",
                    "source_sharding is allowed only on the source endpoint; remove it.",
                )
            else:
                self.objects(
                    value,
                    where,
                    "endpoint",
                    lambda item, p: self.endpoint_info(
                        item, p, side, db, endpoint_type, sharding=True
                    ),
                )

        required = [
            (
                "endpoint_name",
                "R-23",
                "Set the endpoint name (endpoint_name)"
                + (f': "{expected_name}".' if expected_name else "."),
            ),
        ]
        if self_built:
            required.append(
                (
                    "ip",
                    "R-27",
                    "A self-built database needs its host (ip)"
                    + (" as host:port for every shard." if db == "rediscluster" else "."),
                )
            )
            if db and db != "rediscluster":
                required.append(
                    ("db_port", "R-27", "A self-built database needs its port (db_port).")
                )
        if endpoint_type == "cloud":
            required.append(
                ("instance_id", "R-26", "A Huawei Cloud DB instance needs its instance_id.")
            )
        required += [
            ("db_user", "R-29", "Add the database user (db_user)."),
            ("db_password", "R-29", "Add the database password (db_password)."),
        ]
        self.walk(
            info,
            path,
            "endpoint",
            {
                "endpoint_name": name,
                "ip": ip,
                "db_port": port,
                "db_user": user,
                "db_password": self.non_empty("R-29", "Password must not be empty."),
                "instance_id": instance_id,
                "source_sharding": sharding_list,
            },
            required,
        )

    @staticmethod
    def _cluster_ok(value):
        if not isinstance(value, str) or len(value) > 32 * 300:
            return False
        shards = checks.split_list(value)
        return len(shards) <= 32 and all(checks.is_host_port(s) for s in shards)

    def _cluster_ip(self, value, path):
        count = value.count(",") + 1
        if count > 32:
            self.add(
                path, "R-27", f"A Redis Cluster takes at most 32 shards (this list has {count})."
            )
        elif not self._cluster_ok(value):
            self.add(
                path,
                "R-27",
                "List every shard as host:port, comma-separated, e.g. "
                '"10.0.0.1:6379,10.0.0.2:6379".',
            )

    def cloud(self, cloud, path):
        def az_code(value, where):
            if value and not all(checks.split_list(value)):
                self.add(
                    where,
                    "R-24",
                    'AZ codes must be a comma-separated list, e.g. "cn-north-4a,cn-north-4c".',
                )

        self.walk(
            cloud,
            path,
            "cloud",
            {
                "region": self.non_empty("R-24", "Region must not be empty."),
                "project_id": self.non_empty("R-24", "Project ID must not be empty."),
                "az_code": az_code,
            },
            [
                ("region", "R-24", "Add the region (e.g. cn-north-4)."),
                ("project_id", "R-24", "Add the project ID of that region."),
            ],
        )

    def endpoint_vpc(self, vpc, path):
        self.walk(
            vpc,
            path,
            "vpc",
            {
                "vpc_id": self.non_empty("R-25", "VPC ID must not be empty."),
                "subnet_id": self.non_empty("R-25", "Subnet ID must not be empty."),
            },
            [
                ("vpc_id", "R-25", "Add the VPC ID (vpc_id)."),
                ("subnet_id", "R-25", "Add the subnet ID (subnet_id)."),
            ],
        )

    def config(self, config, path, side, shards):
        def readonly(value, where):
            decided = self.engine and self.job_type and self.direction
            if side == "source":
                self.add(
                    where,
                    "R-30",
                    "is_target_readonly belongs on the target endpoint; remove it here.",
                )
            elif decided and not readonly_target_allowed(
                self.engine, self.job_type, self.direction
            ):
                self.add(
                    where,
                    "R-30",
                    "is_target_readonly applies only to a MySQL target "
                    'with direction "up", for migration or disaster recovery; remove it.',
                )
            elif (
                decided
                and self.job_type == "cloudDataGuard"
                and self.multi_write is False
                and (value is False)
            ):
                self.add(
                    where, "R-30", "Single-active disaster recovery needs is_target_readonly: true."
                )

        def node_num(value, where):
            if side == "target":
                self.add(
                    where,
                    "R-31",
                    "node_num belongs on the Redis Cluster source endpoint; remove it here.",
                )
            elif self.engine and self.engine != "rediscluster-to-gaussredis":
                self.add(
                    where,
                    "R-31",
                    "node_num applies only to Redis Cluster → GeminiDB Redis; remove it.",
                )
            elif not 1 <= value <= 16:
                self.add(where, "R-31", "Number of subtasks (node_num) must be from 1 to 16.")
            elif shards is not None and value > shards:
                self.add(
                    where,
                    "R-31",
                    "Number of subtasks (node_num) cannot exceed the number "
                    f"of shards listed in the source ip ({shards}).",
                )

        self.walk(config, path, "config", {"is_target_readonly": readonly, "node_num": node_num})

    def ssl(self, ssl, path, side):
        linked = ssl.get("ssl_link") is True
        cert_name = ssl.get("ssl_cert_name")
        p12 = isinstance(cert_name, str) and cert_name.lower().endswith(".p12")
        field_checks = {}
        required = []
        if linked:

            def cert_key(value, where):
                # MASK stands for a certificate kept apart from the body (drafts, reviews).
                if value != MASK and not checks.is_base64(value):
                    self.add(
                        where,
                        "R-32",
                        "Certificate content must be the certificate file encoded in base64.",
                    )

            field_checks = {
                "ssl_cert_name": self.non_empty("R-32", "Certificate name must not be empty."),
                "ssl_cert_key": cert_key,
                "ssl_cert_check_sum": self.non_empty(
                    "R-32", "Certificate checksum must not be empty."
                ),
                "ssl_cert_password": self.non_empty(
                    "R-32", "Certificate password must not be empty."
                ),
            }
            required = [
                ("ssl_cert_name", "R-32", "SSL needs the certificate name (ssl_cert_name)."),
                (
                    "ssl_cert_key",
                    "R-32",
                    "SSL needs the certificate content in base64 (ssl_cert_key).",
                ),
            ]
            if side == "source":
                required.append(
                    (
                        "ssl_cert_check_sum",
                        "R-32",
                        "SSL to the source needs the certificate checksum (ssl_cert_check_sum).",
                    )
                )
            if p12:
                required.append(
                    (
                        "ssl_cert_password",
                        "R-32",
                        "A .p12 certificate needs its password (ssl_cert_password).",
                    )
                )
        self.walk(ssl, path, "ssl", field_checks, required)

    def customized_dns(self, dns, path):
        def action(value, where):
            if value not in DNS_ACTIONS:
                self.add(where, "R-33", f"DNS action must be one of {_quoted(DNS_ACTIONS)}.")

        def dns_ip(value, where):
            if not checks.is_ipv4(value):
                self.add(where, "R-33", 'DNS server must be an IPv4 address, e.g. "192.168.0.53".')

        self.walk(
            dns,
            path,
            "customized_dns",
            {"set_dns_action": action, "dns_ip": dns_ip},
            [
                ("is_set_dns", "R-33", "Custom DNS needs is_set_dns (true or false)."),
                (
                    "set_dns_action",
                    "R-33",
                    f"Custom DNS needs set_dns_action: {_quoted(DNS_ACTIONS)}.",
                ),
                ("dns_ip", "R-33", "Custom DNS needs the DNS server's IPv4 address (dns_ip)."),
            ],
        )

    # billing --------------------------------------------------------------------------------

    def period_order(self, order, path):
        if self.charging == "on_demand":
            self.add(
                path,
                "R-40",
                "Pay-per-use tasks take no period_order; remove it or "
                'choose charging_mode "period".',
            )
            return
        period_type = _pick(order.get("period_type"), PERIOD_TYPES)

        def type_field(value, where):
            if value not in PERIOD_TYPES:
                self.add(where, "R-41", "Period type must be 2 (month) or 3 (year).")

        def num(value, where):
            allowed = period_num_range(period_type)
            if period_type and value not in allowed:
                unit = "months" if period_type == 2 else "years"
                self.add(where, "R-41", f"Number of {unit} must be from 1 to {allowed[-1]}.")

        def renew(value, where):
            if value not in AUTO_RENEW:
                self.add(where, "R-00", "Auto-renew must be 0 (off) or 1 (on).")

        self.walk(
            order,
            path,
            "period_order",
            {"period_type": type_field, "period_num": num, "is_auto_renew": renew},
            [
                ("period_type", "R-41", "Choose the period type: 2 (month) or 3 (year)."),
                ("period_num", "R-41", "Set the number of periods (period_num)."),
            ],
        )

    # node -----------------------------------------------------------------------------------

    def node_info(self, node_info, path):
        self.walk(
            node_info,
            path,
            "node_info",
            {"spec": self.spec, "vpc": self.node_vpc, "base_info": self.node_base},
            [
                ("spec", "R-50", "Add spec with the node type (node_type)."),
                ("vpc", "R-52", "Add vpc with the VPC and subnet the DRS instance lives in."),
            ],
        )

    def spec(self, spec, path):
        def node_type(value, where):
            allowed = node_types_for(self.job_type)
            if value not in NODE_TYPES:
                self.add(where, "R-51", f"Node type must be one of {_quoted(NODE_TYPES)}.")
            elif value not in allowed:
                self.add(
                    where,
                    "R-51",
                    f"{_label(self.job_type)} tasks need node type "
                    f"{' or '.join(_quoted([a]) for a in allowed)}.",
                )

        self.walk(
            spec,
            path,
            "spec",
            {"node_type": node_type},
            [("node_type", "R-50", f"Choose a node type: {_quoted(NODE_TYPES)}.")],
        )

    def node_vpc(self, vpc, path):
        def node_ips(value, where):
            ips = checks.split_list(value)
            nodes = az_count_for(self.instance_type)
            if not all(checks.is_ipv4(ip) for ip in ips):
                self.add(where, "R-52", "Node IPs must be IPv4 addresses separated by commas.")
            elif nodes and len(ips) > nodes:
                self.add(
                    where,
                    "R-52",
                    f"At most one IP per node: a "
                    f"{_label(self.instance_type).lower()} instance has {nodes} "
                    f"node{'s' if nodes > 1 else ''}.",
                )

        self.walk(
            vpc,
            path,
            "node_vpc",
            {
                "vpc_id": self.non_empty("R-52", "VPC ID must not be empty."),
                "subnet_id": self.non_empty("R-52", "Subnet ID must not be empty."),
                "custom_node_ip": node_ips,
            },
            [
                ("vpc_id", "R-52", "Add the VPC ID (vpc_id) of the DRS instance."),
                ("subnet_id", "R-52", "Add the subnet ID (subnet_id) of the DRS instance."),
            ],
        )

    def node_base(self, base, path):
        def instance_type(value, where):
            if value not in INSTANCE_TYPES:
                self.add(where, "R-53", f"Instance type must be one of {_quoted(INSTANCE_TYPES)}.")

        def arch(value, where):
            if value not in ARCHES:
                self.add(where, "R-53", f"Architecture must be one of {_quoted(ARCHES)}.")

        def zones(value, where):
            azs = checks.split_list(value)
            count = az_count_for(self.instance_type)
            if not all(azs):
                self.add(where, "R-53", "Availability zones must be a comma-separated list.")
            elif count == 1 and len(azs) != 1:
                self.add(where, "R-53", "A single instance takes exactly one availability zone.")
            elif count == 2 and (len(azs) != 2 or azs[0] == azs[1]):
                self.add(
                    where,
                    "R-53",
                    "A primary/standby instance takes exactly two different "
                    'availability zones, e.g. "cn-north-4a,cn-north-4b".',
                )

        self.walk(
            base,
            path,
            "node_base",
            {"instance_type": instance_type, "arch": arch, "availability_zone": zones},
            [
                ("instance_type", "R-53", "Choose the instance type: single or ha."),
                ("arch", "R-53", "Choose the CPU architecture: x86 or arm."),
                ("availability_zone", "R-53", "Set the availability zone(s)."),
            ],
        )

    # network extras -------------------------------------------------------------------------

    def public_ip_list(self, entries, path):
        if self.net_type and self.net_type != "eip":
            self.add(path, "R-60", 'A public IP list applies only to net_type "eip"; remove it.')
            return
        seen = set()

        def ip_type(value, where):
            if value not in PUBLIC_IP_TYPES:
                self.add(where, "R-60", f"Type must be one of {_quoted(PUBLIC_IP_TYPES)}.")
            elif value in seen:
                self.add(
                    where, "R-60", f'Only one public IP per type: "{value}" is already listed.'
                )
            elif value == "slave" and self.instance_type and self.instance_type != "ha":
                self.add(
                    where,
                    "R-60",
                    "A standby (slave) public IP needs a primary/standby (ha) instance.",
                )
            seen.add(value)

        def public_ip(value, where):
            if not checks.is_ipv4(value):
                self.add(where, "R-60", 'Public IP must be an IPv4 address, e.g. "203.0.113.10".')

        def entry(item, where):
            self.walk(
                item,
                where,
                "public_ip",
                {
                    "id": self.non_empty("R-60", "EIP ID must not be empty."),
                    "public_ip": public_ip,
                    "type": ip_type,
                },
                [
                    ("id", "R-60", "Add the EIP's ID (id)."),
                    ("public_ip", "R-60", "Add the EIP address (public_ip)."),
                    ("type", "R-60", 'Add the type: "master" or "slave".'),
                ],
            )

        self.objects(entries, path, "public_ip", entry)


_TYPE_PHRASE = {
    "offline": "self-built outside Huawei Cloud",
    "ecs": "self-built on ECS",
    "cloud": "a Huawei Cloud DB instance",
}


def _types_phrase(types):
    return " or ".join(f'{_TYPE_PHRASE[t]} ("{t}")' for t in types)


def _unknown_message(key, fields):
    if not isinstance(key, str):
        return "Unknown field; remove it."
    shown = _clip(key, 60)
    close = difflib.get_close_matches(shown, fields, n=1)
    hint = f' Did you mean "{close[0]}"?' if close else ""
    return f'Unknown field "{shown}"; remove it or fix the spelling.{hint}'


def validate_now(body):
    """validate() as DRS judges a body sent now: a start_time must be in the future (R-05)."""
    return validate(body, now_ms=int(time.time() * 1000))


def validate(body, *, now_ms=None):
    """Every violation of the body, in document order (at most MAX_VIOLATIONS + 1).

    now_ms: when given, start_time must be after it (R-05); otherwise only its format is checked.
    """
    if not isinstance(body, dict):
        return [Violation("", "R-00", 'The body must be a JSON object: {"job": {...}}.')]
    checker = None
    try:
        job = body.get("job")
        checker = _Checker(_obj(job), now_ms)
        for key in body:
            if key != "job":
                checker.add(
                    _join("", key), "R-00", 'Only "job" is allowed at the top level; remove this.'
                )
        if "job" not in body:
            checker.add("", "R-00", 'The body needs "job": {"job": {...}}.')
        elif not isinstance(job, dict):
            checker.add("", "R-00", f"job must be {_WANT['obj']}, not {_kind(job)}.")
        else:
            checker.job(job)
        return checker.found
    except _Full:
        return checker.found + [
            Violation(
                "",
                "R-00",
                f"Only the first {MAX_VIOLATIONS} problems are shown; fix these and check again.",
            )
        ]
    except Exception:  # the contract: never raise, whatever the input
        done = checker.found if checker else []
        return done + [Violation("", "R-00", INCOMPLETE)]


def warnings(body):
    """Non-blocking remarks (R-42); never raises."""
    job = _obj(body.get("job")) if isinstance(body, dict) else {}
    base = _obj(job.get("base_info"))
    if base.get("charging_mode") == "period" and "expired_days" in base:
        return [
            Violation(
                "base_info.expired_days",
                "R-42",
                "Yearly/monthly tasks do not stop "
                "by themselves, so expired_days has no effect here.",
            )
        ]
    return []
