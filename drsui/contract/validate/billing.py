"""period_order: yearly/monthly billing (R-40, R-41)."""

from ..enums import AUTO_RENEW, PERIOD_TYPES
from ..i18n import _
from ..rules import period_num_range
from .walker import pick


def check(w, order, path):
    if w.charging == "on_demand":
        w.add(
            path,
            "R-40",
            _(
                "Pay-per-use tasks take no period_order; remove it or choose charging_mode "
                '"period".'
            ),
        )
        return
    period_type = pick(order.get("period_type"), PERIOD_TYPES)

    def type_field(value, where):
        if value not in PERIOD_TYPES:
            w.add(where, "R-41", _("Period type must be 2 (month) or 3 (year)."))

    def num(value, where):
        allowed = period_num_range(period_type)
        if period_type and value not in allowed:
            if period_type == 2:
                message = _("Number of months must be from 1 to %(max)s.")
            else:
                message = _("Number of years must be from 1 to %(max)s.")
            w.add(where, "R-41", message % {"max": allowed[-1]})

    def renew(value, where):
        if value not in AUTO_RENEW:
            w.add(where, "R-00", _("Auto-renew must be 0 (off) or 1 (on)."))

    w.walk(
        order,
        path,
        "period_order",
        {"period_type": type_field, "period_num": num, "is_auto_renew": renew},
        [
            ("period_type", "R-41", _("Choose the period type: 2 (month) or 3 (year).")),
            ("period_num", "R-41", _("Set the number of periods (period_num).")),
        ],
    )
