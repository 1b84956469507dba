"""node_info: the DRS instance's size, VPC and placement (R-50 to R-53)."""

from .. import checks
from ..enums import ARCHES, INSTANCE_TYPES, NODE_TYPES
from ..i18n import _, ngettext
from ..rules import az_count_for, node_types_for, node_vpc_required
from .walker import label, quoted, quoted_either


def check(w, node_info, path):
    required = [("spec", "R-50", _("Add spec with the node type (node_type)."))]
    source_type, target_type = (w.endpoints[side][1] for side in ("source", "target"))
    if node_vpc_required(source_type, target_type):
        required.append(
            (
                "vpc",
                "R-52",
                _(
                    "A task with a self-built database needs vpc: the VPC and subnet the DRS "
                    "instance lives in."
                ),
            )
        )
    w.walk(
        node_info,
        path,
        "node_info",
        {
            "spec": lambda v, p: _spec(w, v, p),
            "vpc": lambda v, p: _vpc(w, v, p),
            "base_info": lambda v, p: _base(w, v, p),
        },
        required,
    )


def _spec(w, spec, path):
    def node_type(value, where):
        allowed = node_types_for(w.job_type)
        if value not in NODE_TYPES:
            w.add(
                where,
                "R-51",
                _("Node type must be one of %(values)s.") % {"values": quoted(NODE_TYPES)},
            )
        elif value not in allowed:
            w.add(
                where,
                "R-51",
                _("%(job_type)s tasks need node type %(allowed)s.")
                % {"job_type": label(w.job_type), "allowed": quoted_either(allowed)},
            )

    w.walk(
        spec,
        path,
        "spec",
        {"node_type": node_type},
        [
            (
                "node_type",
                "R-50",
                _("Choose a node type: %(values)s.") % {"values": quoted(NODE_TYPES)},
            )
        ],
    )


def _vpc(w, vpc, path):
    def node_ips(value, where):
        ips = checks.split_list(value)
        nodes = az_count_for(w.instance_type)
        if not all(checks.is_ipv4(ip) for ip in ips):
            w.add(where, "R-52", _("Node IPs must be IPv4 addresses separated by commas."))
        elif nodes and len(ips) > nodes:
            w.add(
                where,
                "R-52",
                ngettext(
                    "At most one IP per node: a %(instance_type)s instance has %(count)s node.",
                    "At most one IP per node: a %(instance_type)s instance has %(count)s nodes.",
                    nodes,
                )
                % {"instance_type": label(w.instance_type).lower(), "count": nodes},
            )

    w.walk(
        vpc,
        path,
        "node_vpc",
        {
            "vpc_id": w.non_empty("R-52", _("VPC ID must not be empty.")),
            "subnet_id": w.non_empty("R-52", _("Subnet ID must not be empty.")),
            "custom_node_ip": node_ips,
        },
        [
            ("vpc_id", "R-52", _("Add the VPC ID (vpc_id) of the DRS instance.")),
            ("subnet_id", "R-52", _("Add the subnet ID (subnet_id) of the DRS instance.")),
        ],
    )


def _base(w, base, path):  # R-53; status and role are read-only, accepted as they are
    def instance_type(value, where):
        if value not in INSTANCE_TYPES:
            w.add(
                where,
                "R-53",
                _("Instance type must be one of %(values)s.") % {"values": quoted(INSTANCE_TYPES)},
            )

    def arch(value, where):
        if value not in ARCHES:
            w.add(
                where,
                "R-53",
                _("Architecture must be one of %(values)s.") % {"values": quoted(ARCHES)},
            )

    def zones(value, where):
        azs = checks.split_list(value)
        count = az_count_for(w.instance_type)
        if not all(azs):
            w.add(where, "R-53", _("Availability zones must be a comma-separated list."))
        elif count == 1 and len(azs) != 1:
            w.add(where, "R-53", _("A single instance takes exactly one availability zone."))
        elif count == 2 and (len(azs) != 2 or azs[0] == azs[1]):
            w.add(
                where,
                "R-53",
                _(
                    "A primary/standby instance takes exactly two different availability zones, "
                    'e.g. "cn-north-4a,cn-north-4b".'
                ),
            )

    w.walk(
        base,
        path,
        "node_base",
        {"instance_type": instance_type, "arch": arch, "availability_zone": zones},
        [
            ("instance_type", "R-53", _("Choose the instance type: single or ha.")),
            ("arch", "R-53", _("Choose the CPU architecture: x86 or arm.")),
            ("availability_zone", "R-53", _("Set the availability zone(s).")),
        ],
    )
