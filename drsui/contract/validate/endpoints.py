"""source_endpoint and target_endpoint: one entry each, its endpoint object, cloud, vpc, config,
ssl and customized_dns (R-20 to R-34)."""

from .. import checks
from ..enums import DB_TYPES, DNS_ACTIONS, ENDPOINT_NAMES, ENDPOINT_TYPES
from ..rules import (
    SIDES,
    db_user_may_be_empty,
    dns_ip_required,
    endpoint_cloud_required,
    endpoint_name_for,
    endpoint_types_for,
    endpoint_types_for_side,
    endpoint_vpc_required,
    engine_db_types,
    is_self_built,
    node_num_allowed,
    node_num_range,
    readonly_target_allowed,
    readonly_target_required,
)
from ..secrets import MASK
from .walker import label, pick, quoted

_ROLE = {"source": "so", "target": "ta"}
_TYPE_PHRASE = {
    "offline": "self-built outside Huawei Cloud",
    "ecs": "self-built on ECS",
    "cloud": "a Huawei Cloud DB instance",
}
MAX_SHARDS = 32


def _types_phrase(types):
    return " or ".join(f'{_TYPE_PHRASE[t]} ("{t}")' for t in types)


def check(w, entries, path, side):
    if not entries:
        w.add(path, "R-20", f"Add exactly one {side} endpoint.")
        return
    if len(entries) > 1:
        w.add(
            path, "R-20", f"Exactly one {side} endpoint is allowed (this list has {len(entries)})."
        )
    w.objects(entries[:1], path, lambda entry, where: _entry(w, entry, where, side))


def _entry(w, entry, path, side):
    expected_db = (engine_db_types(w.engine) or (None, None))[SIDES.index(side)]
    db, endpoint_type = w.endpoints[side]
    info = entry.get("endpoint")
    shards = None
    if db == "rediscluster" and isinstance(info, dict) and _cluster_ok(info.get("ip")):
        shards = len(checks.split_list(info["ip"]))

    def db_type(value, where):
        if value not in DB_TYPES:
            w.add(where, "R-21", f"Database type must be one of {quoted(DB_TYPES)}.")
        elif expected_db and value != expected_db:
            w.add(
                where,
                "R-21",
                f'For {label(w.engine)} the {side} database type must be "{expected_db}".',
            )

    def endpoint_type_field(value, where):
        allowed = endpoint_types_for(db)
        side_allowed = endpoint_types_for_side(w.engine, w.direction, side)
        if value not in ENDPOINT_TYPES:
            w.add(where, "R-22", f"Endpoint type must be one of {quoted(ENDPOINT_TYPES)}.")
        elif db and value not in allowed:
            w.add(where, "R-22", f"A {label(db)} {side} can only be {_types_phrase(allowed)}.")
        elif w.engine and db and w.direction and value not in side_allowed:
            w.add(
                where,
                "R-10",
                f'With direction "{w.direction}" the {side} must be {_types_phrase(side_allowed)}.',
            )

    def role(value, where):
        if value != _ROLE[side]:
            w.add(where, "R-20", f'The {side} endpoint\'s role must be "{_ROLE[side]}".')

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
            + (_types_phrase(endpoint_types_for(db)) if db else quoted(ENDPOINT_TYPES))
            + ".",
        ),
        ("endpoint_role", "R-20", f'Set the endpoint role (endpoint_role): "{_ROLE[side]}".'),
        ("endpoint", "R-00", "Add the endpoint object with the connection details."),
    ]
    if endpoint_cloud_required(endpoint_type):
        owner = "A database on ECS" if endpoint_type == "ecs" else "A Huawei Cloud DB instance"
        required.append(("cloud", "R-24", f"{owner} needs cloud with its region and project_id."))
    if endpoint_vpc_required(endpoint_type):
        required.append(
            ("vpc", "R-25", "A database on ECS needs vpc with its vpc_id and subnet_id.")
        )
    # cloud and vpc are checked on every endpoint type: the API accepts them on any (Fidelity).
    w.walk(
        entry,
        path,
        "endpoint_entry",
        {
            "db_type": db_type,
            "endpoint_type": endpoint_type_field,
            "endpoint_role": role,
            "endpoint": lambda v, p: _endpoint(w, v, p, side, db, endpoint_type),
            "cloud": lambda v, p: _cloud(w, v, p),
            "vpc": lambda v, p: _vpc(w, v, p),
            "config": lambda v, p: _config(w, v, p, side, shards),
            "ssl": lambda v, p: _ssl(w, v, p, side),
            "customized_dns": lambda v, p: _customized_dns(w, v, p),
        },
        required,
    )


def _endpoint(w, info, path, side, db, endpoint_type, sharding=False):
    """The endpoint object; also each source_sharding entry (R-34: same rules).

    ip, db_port and db_name are checked wherever they are given: a cloud endpoint may carry
    them too (Fidelity).
    """
    expected_name = endpoint_name_for(db, endpoint_type)

    def name(value, where):
        if expected_name and value != expected_name:
            w.add(
                where,
                "R-23",
                f'For a {label(db)} endpoint of type "{endpoint_type}" '
                f'the endpoint name must be "{expected_name}".',
            )
        elif value not in ENDPOINT_NAMES:
            w.add(where, "R-23", f"Endpoint name must be one of {quoted(ENDPOINT_NAMES)}.")

    def ip(value, where):
        if db == "rediscluster":
            _cluster_ip(w, value, where)
        elif db and not checks.is_host(value):
            w.add(where, "R-27", "Host must be one IPv4 or IPv6 address or a host name.")
        elif not value.strip():
            w.add(where, "R-27", "Host must not be empty.")

    def port(value, where):
        if not checks.is_port(value):
            w.add(
                where,
                "R-28",
                'Port must be a whole number from 1 to 65535, written as a string, e.g. "3306".',
            )

    def user(value, where):
        if not value and not db_user_may_be_empty(side, db):
            w.add(where, "R-29", "Database user must not be empty.")

    def instance_id(value, where):
        if endpoint_type == "cloud" and not value.strip():
            w.add(where, "R-26", "Instance ID must not be empty.")

    def sharding_list(value, where):
        if sharding:
            w.add(where, "R-34", "A source_sharding entry cannot have its own source_sharding.")
        elif side != "source":
            w.add(
                where, "R-34", "source_sharding is allowed only on the source endpoint; remove it."
            )
        else:
            w.objects(
                value,
                where,
                lambda item, p: _endpoint(w, item, p, side, db, endpoint_type, sharding=True),
            )

    required = [
        (
            "endpoint_name",
            "R-23",
            "Set the endpoint name (endpoint_name)"
            + (f': "{expected_name}".' if expected_name else "."),
        ),
    ]
    if is_self_built(endpoint_type):
        required.append(
            (
                "ip",
                "R-27",
                "A self-built database needs its host (ip)"
                + (" as host:port for every shard." if db == "rediscluster" else "."),
            )
        )
        if db and db != "rediscluster":
            required.append(("db_port", "R-27", "A self-built database needs its port (db_port)."))
    if endpoint_type == "cloud":
        required.append(
            ("instance_id", "R-26", "A Huawei Cloud DB instance needs its instance_id.")
        )
    required += [
        ("db_user", "R-29", "Add the database user (db_user)."),
        ("db_password", "R-29", "Add the database password (db_password)."),
    ]
    w.walk(
        info,
        path,
        "endpoint",
        {
            "endpoint_name": name,
            "ip": ip,
            "db_port": port,
            "db_user": user,
            "db_password": w.non_empty("R-29", "Password must not be empty."),
            "instance_id": instance_id,
            "source_sharding": sharding_list,
        },
        required,
    )


def _cluster_ok(value):
    if not isinstance(value, str) or len(value) > MAX_SHARDS * 300:
        return False
    shards = checks.split_list(value)
    return len(shards) <= MAX_SHARDS and all(checks.is_host_port(s) for s in shards)


def _cluster_ip(w, value, path):
    count = value.count(",") + 1
    if count > MAX_SHARDS:
        w.add(
            path,
            "R-27",
            f"A Redis Cluster takes at most {MAX_SHARDS} shards (this list has {count}).",
        )
    elif not _cluster_ok(value):
        w.add(
            path,
            "R-27",
            'List every shard as host:port, comma-separated, e.g. "10.0.0.1:6379,10.0.0.2:6379".',
        )


def _cloud(w, cloud, path):
    def az_code(value, where):
        if value and not all(checks.split_list(value)):
            w.add(
                where,
                "R-24",
                'AZ codes must be a comma-separated list, e.g. "cn-north-4a,cn-north-4c".',
            )

    w.walk(
        cloud,
        path,
        "cloud",
        {
            "region": w.non_empty("R-24", "Region must not be empty."),
            "project_id": w.non_empty("R-24", "Project ID must not be empty."),
            "az_code": az_code,
        },
        [
            ("region", "R-24", "Add the region (e.g. cn-north-4)."),
            ("project_id", "R-24", "Add the project ID of that region."),
        ],
    )


def _vpc(w, vpc, path):
    w.walk(
        vpc,
        path,
        "vpc",
        {
            "vpc_id": w.non_empty("R-25", "VPC ID must not be empty."),
            "subnet_id": w.non_empty("R-25", "Subnet ID must not be empty."),
        },
        [
            ("vpc_id", "R-25", "Add the VPC ID (vpc_id)."),
            ("subnet_id", "R-25", "Add the subnet ID (subnet_id)."),
        ],
    )


def _config(w, config, path, side, shards):
    def readonly(value, where):  # false is accepted in any config block
        if value is False:
            if side == "target" and readonly_target_required(
                w.engine, w.job_type, w.direction, w.multi_write
            ):
                w.add(
                    where, "R-30", "Single-active disaster recovery needs is_target_readonly: true."
                )
        elif side == "source":
            w.add(
                where,
                "R-30",
                "Only the target can be set read-only: set is_target_readonly to false here or "
                "remove it.",
            )
        elif (
            w.engine
            and w.job_type
            and w.direction
            and not readonly_target_allowed(w.engine, w.job_type, w.direction)
        ):
            w.add(
                where,
                "R-30",
                'A read-only target applies only to a MySQL target with direction "up", for '
                "migration or disaster recovery; set is_target_readonly to false or remove it.",
            )

    def node_num(value, where):
        if side == "target":
            w.add(
                where,
                "R-31",
                "node_num belongs on the Redis Cluster source endpoint; remove it here.",
            )
        elif w.engine and not node_num_allowed(w.engine):
            w.add(
                where, "R-31", "node_num applies only to Redis Cluster → GeminiDB Redis; remove it."
            )
        elif value not in node_num_range():
            top = node_num_range()[-1]
            w.add(where, "R-31", f"Number of subtasks (node_num) must be from 1 to {top}.")
        elif value not in node_num_range(shards):
            w.add(
                where,
                "R-31",
                "Number of subtasks (node_num) cannot exceed the number of shards listed in the "
                f"source ip ({shards}).",
            )

    w.walk(config, path, "config", {"is_target_readonly": readonly, "node_num": node_num})


def _ssl(w, ssl, path, side):
    linked = ssl.get("ssl_link") is True
    cert_name = ssl.get("ssl_cert_name")
    p12 = isinstance(cert_name, str) and cert_name.lower().endswith(".p12")
    field_checks = {}
    required = []
    if linked:

        def cert_key(value, where):
            # MASK stands for a certificate kept apart from the body (drafts, reviews).
            if value != MASK and not checks.is_base64(value):
                w.add(
                    where,
                    "R-32",
                    "Certificate content must be the certificate file encoded in base64.",
                )

        field_checks = {
            "ssl_cert_name": w.non_empty("R-32", "Certificate name must not be empty."),
            "ssl_cert_key": cert_key,
            "ssl_cert_check_sum": w.non_empty("R-32", "Certificate checksum must not be empty."),
            "ssl_cert_password": w.non_empty("R-32", "Certificate password must not be empty."),
        }
        required = [
            ("ssl_cert_name", "R-32", "SSL needs the certificate name (ssl_cert_name)."),
            ("ssl_cert_key", "R-32", "SSL needs the certificate content in base64 (ssl_cert_key)."),
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
    w.walk(ssl, path, "ssl", field_checks, required)


def _customized_dns(w, dns, path):
    chosen = pick(dns.get("set_dns_action"), DNS_ACTIONS)

    def action(value, where):
        if value not in DNS_ACTIONS:
            w.add(where, "R-33", f"DNS action must be one of {quoted(DNS_ACTIONS)}.")

    def dns_ip(value, where):
        if value == "":
            if dns_ip_required(chosen):
                w.add(
                    where,
                    "R-33",
                    f'DNS action "{chosen}" needs the DNS server\'s IPv4 address, '
                    'e.g. "192.168.0.53".',
                )
        elif not checks.is_ipv4(value):
            w.add(where, "R-33", 'DNS server must be an IPv4 address, e.g. "192.168.0.53".')

    w.walk(
        dns,
        path,
        "customized_dns",
        {"set_dns_action": action, "dns_ip": dns_ip},
        [
            ("is_set_dns", "R-33", "Custom DNS needs is_set_dns (true or false)."),
            ("set_dns_action", "R-33", f"Custom DNS needs set_dns_action: {quoted(DNS_ACTIONS)}."),
            (
                "dns_ip",
                "R-33",
                'Custom DNS needs dns_ip: the DNS server\'s IPv4 address ("" for keep and '
                "recover).",
            ),
        ],
    )
