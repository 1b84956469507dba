"""The one table binding every wizard field to one body path.

Each `Field` says where its value lives in the body (relative to `job`), when it is shown
(a callable over the body built so far), which values it may take, and how a posted string
becomes an API value. Forms, per-step validation, error mapping and the review summary are all
read off this table.

Labels, help texts and choice words are `gettext_lazy` (`_`): the table is built at import, and
each is said in the person's language when it is rendered. Never str() one at import.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from drsui import contract as c

SIDES = {"source": "source_endpoint.0", "target": "target_endpoint.0"}


# --- reading the body -------------------------------------------------------------------------
def engine(job) -> str | None:
    return c.get_path(job, "base_info.engine_type")


def job_type(job) -> str | None:
    return c.get_path(job, "base_info.job_type")


def db_type(job, side: str) -> str | None:
    pair = c.engine_db_types(engine(job))
    return pair and pair[0 if side == "source" else 1]


def endpoint_type(job, side: str) -> str | None:
    return c.get_path(job, f"{SIDES[side]}.endpoint_type")


def value_label(value) -> str:
    """An API value as the person reads it, in their language: the contract's label (its
    catalog translates it), else the value itself."""
    label = c.LABELS.get(value, str(value)) if isinstance(value, str) else str(value)
    return gettext(label) if label else label  # gettext("") is the catalog's header


def _labelled(values) -> list[tuple[Any, str]]:
    return [(v, value_label(v)) for v in values]


def _always(job) -> bool:
    return True


def _never(job) -> bool:
    return False


@dataclass(frozen=True)
class Field:
    path: str
    label: str  # lazy: see the module's docstring
    step: str
    kind: str = "text"  # a key of kinds.KINDS: how its input reads a post and renders
    when: Callable[[dict], bool] = _always  # the console asks for it
    # The API accepts it here though the console does not ask: offered under "More fields".
    also: Callable[[dict], bool] = _never
    choices: Callable[[dict], Sequence[tuple[Any, str]]] | None = None
    decides: bool = False  # changing it changes which fields show or what they offer
    help: str | Callable[[dict], str] = ""
    group: str = ""  # "" is the step's main card; others are optional, collapsible groups
    keep_empty: bool = False  # send "" rather than leaving the key out
    default: Any = None
    api: str = ""  # the API name shown beside the label; the last path segment by default
    subfields: tuple["Field", ...] = ()  # rows: fields relative to one row
    max_rows: int = 0
    min_rows: Callable[[dict], int] | None = None
    readonly: bool = False
    placeholder: str = ""
    clears: str = ""  # bool toggles: when false, this whole object is left out
    omit_false: bool = False  # bools the API defaults to false: leave out rather than send false
    attrs: dict = field(default_factory=dict)

    def shown(self, job) -> bool:
        return self.when(job) or self.also(job)

    @property
    def api_name(self) -> str:
        return self.api or self.path.rsplit(".", 1)[-1]

    @property
    def html_id(self) -> str:
        return "f-" + self.path.replace(".", "-")


# --- the table --------------------------------------------------------------------------------
def scenario_label(job_type, engine_type) -> str:
    """"Oracle → GaussDB Distributed · Real-time synchronization": as the scenario select says."""
    return f"{value_label(engine_type)} · {value_label(job_type)}"


def _scenario_choices(job):
    return [(f"{jt}:{en}", scenario_label(jt, en)) for jt, en in c.SCENARIOS]


def _is_dr(job) -> bool:
    return c.multi_write_allowed(job_type(job))


BASE = (
    Field("base_info.engine_type", _("Scenario"), "base", kind="scenario", decides=True,
          choices=_scenario_choices, api="job_type + engine_type",
          help=_("Sets the engine pair and the task scenario together.")),
    Field("base_info.job_direction", _("Direction"), "base", kind="choice", decides=True,
          choices=lambda j: _labelled(c.directions_for(engine(j)))),
    # default False: an unticked box is single-active at once, so the task types follow.
    Field("base_info.multi_write", _("Dual-active"), "base", kind="bool", when=_is_dr, decides=True,
          default=False, help=_("Both clouds accept writes. Off: single-active DR.")),
    Field("base_info.task_type", _("Task type"), "base", kind="choice", default="FULL_INCR_TRANS",
          choices=lambda j: _labelled(
              c.task_types_for(job_type(j), c.get_path(j, "base_info.multi_write")))),
    Field("base_info.name", _("Task name"), "base",
          help=_("4–50 characters: letters, digits, - and _, starting with a letter.")),
    Field("base_info.description", _("Description"), "base", kind="textarea", keep_empty=True,
          default="", help=_("Up to 256 characters, none of ! < > ' & \" \\")),
    Field("base_info.start_time", _("Scheduled start"), "base", kind="datetime",
          help=_("Optional. In your time zone; sent as epoch milliseconds.")),
    # No default written: left out, DRS takes 14; yearly/monthly tasks never stop by
    # themselves, so there it is not asked for, and taken out when the billing changes.
    Field("base_info.expired_days", _("Stop abnormal task after"), "base",
          when=lambda j: not _is_period(j), also=lambda j: _is_period(j), placeholder="14",
          help=lambda j: _("Has no effect with yearly/monthly billing.") if _is_period(j)
          else _("14–100 days; left empty, 14."), attrs={"inputmode": "numeric"}),
    Field("base_info.enterprise_project_id", _("Enterprise project"), "base", default="0",
          help=_("0 is the default enterprise project.")),
    Field("base_info.is_open_fast_clean", _("Fast binlog clean"), "base", kind="bool",
          when=lambda j: c.fast_clean_allowed(engine(j)), omit_false=True),
    Field("base_info.tags", _("Tags"), "base", kind="rows", group="tags", max_rows=20, api="tags",
          subfields=(Field("key", _("Key"), "base", keep_empty=True),
                     Field("value", _("Value"), "base", keep_empty=True)),
          help=_("Up to 20. Key 1–36 characters: letters, digits, _ and -; value 1–43: also "
               "space and . : / = + @")),
)


def _endpoint_fields(side: str) -> tuple[Field, ...]:
    p = SIDES[side]
    step = side

    def etype(*kinds):
        return lambda j: endpoint_type(j, side) in kinds

    def is_cluster(j):
        return db_type(j, side) == "rediscluster"

    def self_built(j):
        return endpoint_type(j, side) in ("offline", "ecs")

    def ssl_on(j):
        return c.get_path(j, f"{p}.ssl.ssl_link") is True

    def dns_on(j):
        return c.get_path(j, f"{p}.customized_dns.is_set_dns") is True

    return (
        Field(f"{p}.endpoint_type", _("Database location"), step, kind="choice", decides=True,
              choices=lambda j: _labelled(
                  c.endpoint_types_for_side(engine(j), c.get_path(j, "base_info.job_direction"),
                                            side))),
        Field(f"{p}.endpoint.ip", _("Host"), step,
              when=lambda j: self_built(j) and not is_cluster(j), also=etype("cloud"),
              help=_("IPv4/IPv6 address or host name.")),
        Field(f"{p}.endpoint.db_port", _("Port"), step,
              when=lambda j: self_built(j) and not is_cluster(j), attrs={"inputmode": "numeric"},
              also=lambda j: etype("cloud")(j) or is_cluster(j), help=_("1–65535.")),
        Field(f"{p}.endpoint.ip", _("Shards"), step, kind="list", max_rows=32, api="ip",
              when=lambda j: self_built(j) and is_cluster(j), placeholder="host:port",
              min_rows=lambda j: 1, help=_("Every shard of the cluster as host:port (1–32).")),
        Field(f"{p}.endpoint.instance_id", _("DB instance ID"), step, when=etype("cloud"),
              also=self_built),
        Field(f"{p}.endpoint.db_name", _("Service name"), step,
              when=lambda j: db_type(j, side) == "oracle",
              help=_("The Oracle service name, e.g. serviceName.orcl")),
        Field(f"{p}.endpoint.db_name", _("Database name"), step, when=_never,
              also=lambda j: db_type(j, side) != "oracle"),
        Field(f"{p}.endpoint.db_user", _("Username"), step, keep_empty=True,
              help=lambda j: _("May be empty for password-only AUTH.") if side == "source" and
              db_type(j, side) in ("redis", "rediscluster") else ""),
        Field(f"{p}.endpoint.db_password", pgettext_lazy("a database login", "Password"), step,
              kind="secret"),
        Field(f"{p}.config.node_num", _("Subtasks"), step, kind="int",
              when=lambda j: side == "source" and c.node_num_allowed(engine(j)),
              help=_("1–16, at most the number of shards; about one per four shards.")),
        Field(f"{p}.config.is_target_readonly", _("Set target read-only"), step, kind="bool",
              default=True,
              when=lambda j: side == "target" and c.readonly_target_allowed(
                  engine(j), job_type(j), c.get_path(j, "base_info.job_direction"))),
        Field(f"{p}.cloud.region", _("Region"), step, group="cloud", when=etype("ecs", "cloud"),
              also=etype("offline")),
        Field(f"{p}.cloud.project_id", _("Project ID"), step, group="cloud",
              when=etype("ecs", "cloud"), also=etype("offline")),
        Field(f"{p}.cloud.az_code", _("Availability zones"), step, group="cloud",
              when=etype("ecs", "cloud"), also=etype("offline"),
              help=_("Optional, comma-separated.")),
        Field(f"{p}.vpc.vpc_id", _("VPC ID"), step, group="vpc", when=etype("ecs", "cloud"),
              also=etype("offline")),
        Field(f"{p}.vpc.subnet_id", _("Subnet ID"), step, group="vpc", when=etype("ecs", "cloud"),
              also=etype("offline")),
        Field(f"{p}.vpc.security_group_id", _("Security group ID"), step, group="vpc",
              when=etype("ecs", "cloud"), also=etype("offline")),
        Field(f"{p}.endpoint.id", _("Database information ID"), step, when=_never, also=_always),
        Field(f"{p}.endpoint.instance_name", _("DB instance name"), step, when=_never,
              also=_always),
        # the console asks for SSL on self-built databases; the API takes it on any.
        Field(f"{p}.ssl.ssl_link", _("Enable SSL"), step, kind="bool", group="ssl", decides=True,
              when=self_built, default=False),
        Field(f"{p}.ssl.ssl_link", _("Enable SSL"), step, kind="bool", decides=True,
              when=_never, also=etype("cloud")),
        Field(f"{p}.ssl.ssl_cert_name", _("Certificate name"), step, group="ssl", when=ssl_on,
              readonly=True, help=_("Filled in from the uploaded file.")),
        Field(f"{p}.ssl.ssl_cert_check_sum", _("Checksum (SHA-256)"), step, group="ssl",
              when=ssl_on, readonly=True),
        Field(f"{p}.ssl.ssl_cert_key", _("Certificate file"), step, kind="cert", group="ssl",
              when=ssl_on, decides=True, help=_("Upload .pem, .crt, .cer or .p12.")),
        Field(f"{p}.ssl.ssl_cert_password", _("Certificate password"), step, kind="secret",
              group="ssl", when=lambda j: ssl_on(j) and str(
                  c.get_path(j, f"{p}.ssl.ssl_cert_name") or "").lower().endswith(".p12")),
        Field(f"{p}.customized_dns.is_set_dns", _("Use my own DNS server"), step, kind="bool",
              group="dns", decides=True, clears=f"{p}.customized_dns"),
        Field(f"{p}.customized_dns.set_dns_action", _("DNS action"), step, kind="choice",
              group="dns", when=dns_on, default="add", choices=lambda j: _labelled(c.DNS_ACTIONS)),
        Field(f"{p}.customized_dns.dns_ip", _("DNS server IP"), step, group="dns", when=dns_on,
              keep_empty=True, help=_("IPv4; may be empty to keep or recover.")),
    ) + (_shard_fields(p) if side == "source" else ())


def _shard_fields(p: str) -> tuple[Field, ...]:
    """R-34: the physical databases behind a sharded source, each an endpoint of the source's
    kind (an Oracle shard has its own service name). A Redis cluster lists its shards in `ip`
    instead."""
    path = f"{p}.endpoint.source_sharding"
    host = (Field("ip", _("Host"), "source"), Field("db_port", _("Port"), "source"))
    instance = Field("instance_id", _("DB instance ID"), "source")
    db_name = Field("db_name", _("Database name"), "source")
    # The API takes every endpoint field on a shard: the console's first, then the rest.
    ids = (Field("id", _("ID"), "source"), Field("instance_name", _("Instance name"), "source"))
    login = (Field("db_user", _("Username"), "source", keep_empty=True),  # always sent
             Field("db_password", pgettext_lazy("a database login", "Password"), "source",
                   kind="secret"))

    def shown(kinds, oracle=False):
        return lambda j: (endpoint_type(j, "source") in kinds
                          and db_type(j, "source") != "rediscluster"
                          and (db_type(j, "source") == "oracle") == oracle)

    common = dict(kind="rows", group="shards", max_rows=32, api="source_sharding",
                  help=_("Optional. One row per physical database; the endpoint name is set "
                       "for you."))
    return (
        Field(path, _("Shard"), "source", when=shown(("offline", "ecs")), **common,
              subfields=host + login + (instance, db_name) + ids),
        Field(path, _("Shard"), "source", when=shown(("offline", "ecs"), oracle=True), **common,
              subfields=host + (Field("db_name", _("Service name"), "source"),) + login
              + (instance,) + ids),
        Field(path, _("Shard"), "source", when=shown(("cloud",)), **common,
              subfields=(instance,) + login + host + (db_name,) + ids),
    )


NETWORK = (
    Field("base_info.net_type", _("Network type"), "network", kind="choice", decides=True,
          choices=lambda j: _labelled(c.net_types_for(job_type(j)))),
    Field("node_info.vpc.vpc_id", _("VPC ID"), "network", help=_("Where the DRS instance lives.")),
    Field("node_info.vpc.subnet_id", _("Subnet ID"), "network"),
    Field("node_info.vpc.security_group_id", _("Security group ID"), "network"),
    Field("node_info.vpc.custom_node_ip", _("Fixed IPs"), "network",
          help=_("Optional, comma-separated IPv4, at most one per node.")),
    Field("public_ip_list", _("EIPs to bind"), "network", kind="rows", group="eip", max_rows=2,
          when=lambda j: c.public_ips_allowed(c.get_path(j, "base_info.net_type")),
          api="public_ip_list",
          help=_("Optional: without one, DRS binds a public IP. Slave only for primary/standby."),
          subfields=(Field("id", _("EIP ID"), "network", keep_empty=True),
                     Field("public_ip", _("EIP"), "network", keep_empty=True),
                     Field("type", _("Node"), "network", kind="choice", keep_empty=True,
                           choices=lambda j: _labelled(c.PUBLIC_IP_TYPES)))),
)


def _is_period(job) -> bool:
    return c.get_path(job, "base_info.charging_mode") == "period"


BILLING = (
    Field("base_info.charging_mode", _("Billing mode"), "billing", kind="choice", decides=True,
          default="on_demand", choices=lambda j: _labelled(c.CHARGING_MODES)),
    Field("period_order.period_type", _("Period"), "billing", kind="choice", decides=True,
          when=_is_period, default=2, choices=lambda j: [(2, _("Monthly")), (3, _("Yearly"))]),
    Field("period_order.period_num", _("Number of periods"), "billing", kind="choice",
          when=_is_period, default=1, choices=lambda j: [
              (n, str(n)) for n in c.period_num_range(c.get_path(j, "period_order.period_type"))]),
    Field("period_order.is_auto_renew", _("Auto-renew"), "billing", kind="bool01", when=_is_period,
          default=0),
)


def _has_instance_type(job) -> bool:
    return c.get_path(job, "node_info.base_info.instance_type") in c.INSTANCE_TYPES


# The sizes as the DRS API (its SDK's JobNodeSpecInfo) describes them; neither the API page nor
# the SDK gives their vCPUs and memory, which the DRS console shows per region when buying.
NODE_SIZES = {"micro": _("Micro (extra small)"), "small": _("Small"), "medium": _("Medium"),
              "high": _("High (large)")}


def _node_help(job) -> str:
    if len(c.node_types_for(job_type(job))) == 1:
        return _("Tasks other than synchronization run on high (large) only.")
    return _("The DRS instance's size, from micro (extra small) to high (large); the DRS console "
             "shows each one's vCPUs and memory in your region. Tasks other than "
             "synchronization need high.")


NODE = (
    Field("node_info.spec.node_type", _("Specification"), "node", kind="choice",
          choices=lambda j: [(v, NODE_SIZES.get(v, v)) for v in c.node_types_for(job_type(j))],
          help=_node_help),
    Field("node_info.base_info.instance_type", _("Instance type"), "node", kind="choice",
          decides=True, choices=lambda j: [("", _("Default (DRS decides)"))] + _labelled(
              c.INSTANCE_TYPES)),
    Field("node_info.base_info.arch", _("CPU architecture"), "node", kind="choice",
          when=_has_instance_type, default="x86", choices=lambda j: _labelled(c.ARCHES)),
    Field("node_info.base_info.availability_zone", _("Availability zones"), "node", kind="list",
          when=_has_instance_type, max_rows=2,
          min_rows=lambda j: c.az_count_for(c.get_path(j, "node_info.base_info.instance_type")),
          help=_("One for a single instance, two distinct ones for primary/standby.")),
)

FIELDS: tuple[Field, ...] = (
    BASE + _endpoint_fields("source") + _endpoint_fields("target") + NETWORK + BILLING + NODE
)


def fields_of(step: str) -> tuple[Field, ...]:
    return _BY_STEP.get(step, ())


def visible_fields(step: str, job: dict) -> list[Field]:
    return [f for f in fields_of(step) if f.shown(job)]


_BY_STEP: dict[str, tuple[Field, ...]] = {}
for _f in FIELDS:
    _BY_STEP[_f.step] = _BY_STEP.get(_f.step, ()) + (_f,)
