"""public_ip_list: the EIPs to bind to the DRS instance (R-60). net_type itself is in base_info."""

from .. import checks
from ..enums import PUBLIC_IP_TYPES
from ..i18n import _
from ..rules import public_ip_types_for, public_ips_allowed
from .walker import quoted


def check(w, entries, path):
    if w.net_type and not public_ips_allowed(w.net_type):
        w.add(path, "R-60", _('A public IP list applies only to net_type "eip"; remove it.'))
        return
    seen = set()

    def ip_type(value, where):
        if value not in PUBLIC_IP_TYPES:
            w.add(
                where,
                "R-60",
                _("Type must be one of %(values)s.") % {"values": quoted(PUBLIC_IP_TYPES)},
            )
        elif value in seen:
            w.add(
                where,
                "R-60",
                _('Only one public IP per type: "%(type)s" is already listed.') % {"type": value},
            )
        elif value not in public_ip_types_for(w.instance_type):
            w.add(
                where,
                "R-60",
                _("A standby (slave) public IP needs a primary/standby (ha) instance."),
            )
        seen.add(value)

    def public_ip(value, where):
        if not checks.is_ipv4(value):
            w.add(where, "R-60", _('Public IP must be an IPv4 address, e.g. "203.0.113.10".'))

    def entry(item, where):
        w.walk(
            item,
            where,
            "public_ip",
            {
                "id": w.non_empty("R-60", _("EIP ID must not be empty.")),
                "public_ip": public_ip,
                "type": ip_type,
            },
            [
                ("id", "R-60", _("Add the EIP's ID (id).")),
                ("public_ip", "R-60", _("Add the EIP address (public_ip).")),
                ("type", "R-60", _('Add the type: "master" or "slave".')),
            ],
        )

    w.objects(entries, path, entry)
