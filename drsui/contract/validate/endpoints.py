"""source_endpoint and target_endpoint: one entry each, its endpoint object, cloud, vpc, config,
ssl and customized_dns (R-20 to R-34)."""

from .. import checks
from ..enums import DB_TYPES, DNS_ACTIONS, ENDPOINT_NAMES, ENDPOINT_TYPES
from ..i18n import _, gettext_noop
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
from .walker import either, label, pick, quoted

_ROLE = {"source": "so", "target": "ta"}
_TYPE_PHRASE = {  # said with _()
    "offline": gettext_noop("self-built outside Huawei Cloud"),
    "ecs": gettext_noop("self-built on ECS"),
    "cloud": gettext_noop("a Huawei Cloud DB instance"),
}
MAX_SHARDS = 32


def _types_phrase(types):
    return either(
        [_('%(kind)s ("%(value)s")') % {"kind": _(_TYPE_PHRASE[t]), "value": t} for t in types]
    )


def check(w, entries, path, side):
    if not entries:
        if side == "source":
            w.add(path, "R-20", _("Add exactly one source endpoint."))
        else:
            w.add(path, "R-20", _("Add exactly one target endpoint."))
        return
    if len(entries) > 1:
        if side == "source":
            message = _("Exactly one source endpoint is allowed (this list has %(count)s).")
        else:
            message = _("Exactly one target endpoint is allowed (this list has %(count)s).")
        w.add(path, "R-20", message % {"count": len(entries)})
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
            w.add(
                where,
                "R-21",
                _("Database type must be one of %(values)s.") % {"values": quoted(DB_TYPES)},
            )
        elif expected_db and value != expected_db:
            if side == "source":
                message = _('For %(engine)s the source database type must be "%(db_type)s".')
            else:
                message = _('For %(engine)s the target database type must be "%(db_type)s".')
            w.add(where, "R-21", message % {"engine": label(w.engine), "db_type": expected_db})

    def endpoint_type_field(value, where):
        allowed = endpoint_types_for(db)
        side_allowed = endpoint_types_for_side(w.engine, w.direction, side)
        if value not in ENDPOINT_TYPES:
            w.add(
                where,
                "R-22",
                _("Endpoint type must be one of %(values)s.") % {"values": quoted(ENDPOINT_TYPES)},
            )
        elif db and value not in allowed:
            if side == "source":
                message = _("A %(db_type)s source can only be %(types)s.")
            else:
                message = _("A %(db_type)s target can only be %(types)s.")
            w.add(where, "R-22", message % {"db_type": label(db), "types": _types_phrase(allowed)})
        elif w.engine and db and w.direction and value not in side_allowed:
            if side == "source":
                message = _('With direction "%(direction)s" the source must be %(types)s.')
            else:
                message = _('With direction "%(direction)s" the target must be %(types)s.')
            w.add(
                where,
                "R-10",
                message % {"direction": w.direction, "types": _types_phrase(side_allowed)},
            )

    def role(value, where):
        if value != _ROLE[side]:
            if side == "source":
                w.add(where, "R-20", _('The source endpoint\'s role must be "so".'))
            else:
                w.add(where, "R-20", _('The target endpoint\'s role must be "ta".'))

    if expected_db:
        db_type_missing = _('Set the database type (db_type): "%(db_type)s" for this engine.') % {
            "db_type": expected_db
        }
    else:
        db_type_missing = _("Set the database type (db_type).")
    types = _types_phrase(endpoint_types_for(db)) if db else quoted(ENDPOINT_TYPES)
    required = [
        ("db_type", "R-21", db_type_missing),
        (
            "endpoint_type",
            "R-22",
            _("Set the endpoint type (endpoint_type): %(types)s.") % {"types": types},
        ),
        (
            "endpoint_role",
            "R-20",
            _('Set the endpoint role (endpoint_role): "%(role)s".') % {"role": _ROLE[side]},
        ),
        ("endpoint", "R-00", _("Add the endpoint object with the connection details.")),
    ]
    if endpoint_cloud_required(endpoint_type):
        if endpoint_type == "ecs":
            message = _("A database on ECS needs cloud with its region and project_id.")
        else:
            message = _("A Huawei Cloud DB instance needs cloud with its region and project_id.")
        required.append(("cloud", "R-24", message))
    if endpoint_vpc_required(endpoint_type):
        required.append(
            ("vpc", "R-25", _("A database on ECS needs vpc with its vpc_id and subnet_id."))
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
                _(
                    'For a %(db_type)s endpoint of type "%(endpoint_type)s" the endpoint name '
                    'must be "%(name)s".'
                )
                % {"db_type": label(db), "endpoint_type": endpoint_type, "name": expected_name},
            )
        elif value not in ENDPOINT_NAMES:
            w.add(
                where,
                "R-23",
                _("Endpoint name must be one of %(values)s.") % {"values": quoted(ENDPOINT_NAMES)},
            )

    def ip(value, where):
        if db == "rediscluster":
            _cluster_ip(w, value, where)
        elif db and not checks.is_host(value):
            w.add(where, "R-27", _("Host must be one IPv4 or IPv6 address or a host name."))
        elif not value.strip():
            w.add(where, "R-27", _("Host must not be empty."))

    def port(value, where):
        if not checks.is_port(value):
            w.add(
                where,
                "R-28",
                _(
                    "Port must be a whole number from 1 to 65535, written as a string, "
                    'e.g. "3306".'
                ),
            )

    def user(value, where):
        if not value and not db_user_may_be_empty(side, db):
            w.add(where, "R-29", _("Database user must not be empty."))

    def instance_id(value, where):
        if endpoint_type == "cloud" and not value.strip():
            w.add(where, "R-26", _("Instance ID must not be empty."))

    def sharding_list(value, where):
        if sharding:
            w.add(
                where, "R-34", _("A source_sharding entry cannot have its own source_sharding.")
            )
        elif side != "source":
            w.add(
                where,
                "R-34",
                _("source_sharding is allowed only on the source endpoint; remove it."),
            )
        else:
            w.objects(
                value,
                where,
                lambda item, p: _endpoint(w, item, p, side, db, endpoint_type, sharding=True),
            )

    if expected_name:
        name_missing = _('Set the endpoint name (endpoint_name): "%(name)s".') % {
            "name": expected_name
        }
    else:
        name_missing = _("Set the endpoint name (endpoint_name).")
    required = [("endpoint_name", "R-23", name_missing)]
    if is_self_built(endpoint_type):
        if db == "rediscluster":
            ip_missing = _(
                "A self-built database needs its host (ip) as host:port for every shard."
            )
        else:
            ip_missing = _("A self-built database needs its host (ip).")
        required.append(("ip", "R-27", ip_missing))
        if db and db != "rediscluster":
            required.append(
                ("db_port", "R-27", _("A self-built database needs its port (db_port)."))
            )
    if endpoint_type == "cloud":
        required.append(
            ("instance_id", "R-26", _("A Huawei Cloud DB instance needs its instance_id."))
        )
    required += [
        ("db_user", "R-29", _("Add the database user (db_user).")),
        ("db_password", "R-29", _("Add the database password (db_password).")),
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
            "db_password": w.non_empty("R-29", _("Password must not be empty.")),
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
            _("A Redis Cluster takes at most %(max)s shards (this list has %(count)s).")
            % {"max": MAX_SHARDS, "count": count},
        )
    elif not _cluster_ok(value):
        w.add(
            path,
            "R-27",
            _(
                'List every shard as host:port, comma-separated, e.g. "10.0.0.1:6379,'
                '10.0.0.2:6379".'
            ),
        )


def _cloud(w, cloud, path):
    def az_code(value, where):
        if value and not all(checks.split_list(value)):
            w.add(
                where,
                "R-24",
                _('AZ codes must be a comma-separated list, e.g. "cn-north-4a,cn-north-4c".'),
            )

    w.walk(
        cloud,
        path,
        "cloud",
        {
            "region": w.non_empty("R-24", _("Region must not be empty.")),
            "project_id": w.non_empty("R-24", _("Project ID must not be empty.")),
            "az_code": az_code,
        },
        [
            ("region", "R-24", _("Add the region (e.g. cn-north-4).")),
            ("project_id", "R-24", _("Add the project ID of that region.")),
        ],
    )


def _vpc(w, vpc, path):
    w.walk(
        vpc,
        path,
        "vpc",
        {
            "vpc_id": w.non_empty("R-25", _("VPC ID must not be empty.")),
            "subnet_id": w.non_empty("R-25", _("Subnet ID must not be empty.")),
        },
        [
            ("vpc_id", "R-25", _("Add the VPC ID (vpc_id).")),
            ("subnet_id", "R-25", _("Add the subnet ID (subnet_id).")),
        ],
    )


def _config(w, config, path, side, shards):
    def readonly(value, where):  # false is accepted in any config block
        if value is False:
            if side == "target" and readonly_target_required(
                w.engine, w.job_type, w.direction, w.multi_write
            ):
                w.add(
                    where,
                    "R-30",
                    _("Single-active disaster recovery needs is_target_readonly: true."),
                )
        elif side == "source":
            w.add(
                where,
                "R-30",
                _(
                    "Only the target can be set read-only: set is_target_readonly to false here "
                    "or remove it."
                ),
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
                _(
                    'A read-only target applies only to a MySQL target with direction "up", for '
                    "migration or disaster recovery; set is_target_readonly to false or remove it."
                ),
            )

    def node_num(value, where):
        if side == "target":
            w.add(
                where,
                "R-31",
                _("node_num belongs on the Redis Cluster source endpoint; remove it here."),
            )
        elif w.engine and not node_num_allowed(w.engine):
            w.add(
                where,
                "R-31",
                _("node_num applies only to Redis Cluster → GeminiDB Redis; remove it."),
            )
        elif value not in node_num_range():
            top = node_num_range()[-1]
            w.add(
                where,
                "R-31",
                _("Number of subtasks (node_num) must be from 1 to %(max)s.") % {"max": top},
            )
        elif value not in node_num_range(shards):
            w.add(
                where,
                "R-31",
                _(
                    "Number of subtasks (node_num) cannot exceed the number of shards listed in "
                    "the source ip (%(count)s)."
                )
                % {"count": shards},
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
                    _("Certificate content must be the certificate file encoded in base64."),
                )

        field_checks = {
            "ssl_cert_name": w.non_empty("R-32", _("Certificate name must not be empty.")),
            "ssl_cert_key": cert_key,
            "ssl_cert_check_sum": w.non_empty(
                "R-32", _("Certificate checksum must not be empty.")
            ),
            "ssl_cert_password": w.non_empty(
                "R-32", _("Certificate password must not be empty.")
            ),
        }
        required = [
            ("ssl_cert_name", "R-32", _("SSL needs the certificate name (ssl_cert_name).")),
            (
                "ssl_cert_key",
                "R-32",
                _("SSL needs the certificate content in base64 (ssl_cert_key)."),
            ),
        ]
        if side == "source":
            required.append(
                (
                    "ssl_cert_check_sum",
                    "R-32",
                    _("SSL to the source needs the certificate checksum (ssl_cert_check_sum)."),
                )
            )
        if p12:
            required.append(
                (
                    "ssl_cert_password",
                    "R-32",
                    _("A .p12 certificate needs its password (ssl_cert_password)."),
                )
            )
    w.walk(ssl, path, "ssl", field_checks, required)


def _customized_dns(w, dns, path):
    chosen = pick(dns.get("set_dns_action"), DNS_ACTIONS)

    def action(value, where):
        if value not in DNS_ACTIONS:
            w.add(
                where,
                "R-33",
                _("DNS action must be one of %(values)s.") % {"values": quoted(DNS_ACTIONS)},
            )

    def dns_ip(value, where):
        if value == "":
            if dns_ip_required(chosen):
                w.add(
                    where,
                    "R-33",
                    _(
                        'DNS action "%(action)s" needs the DNS server\'s IPv4 address, '
                        'e.g. "192.168.0.53".'
                    )
                    % {"action": chosen},
                )
        elif not checks.is_ipv4(value):
            w.add(where, "R-33", _('DNS server must be an IPv4 address, e.g. "192.168.0.53".'))

    w.walk(
        dns,
        path,
        "customized_dns",
        {"set_dns_action": action, "dns_ip": dns_ip},
        [
            ("is_set_dns", "R-33", _("Custom DNS needs is_set_dns (true or false).")),
            (
                "set_dns_action",
                "R-33",
                _("Custom DNS needs set_dns_action: %(values)s.") % {"values": quoted(DNS_ACTIONS)},
            ),
            (
                "dns_ip",
                "R-33",
                _(
                    'Custom DNS needs dns_ip: the DNS server\'s IPv4 address ("" for keep and '
                    "recover)."
                ),
            ),
        ],
    )
