"""validate(body) -> list[Violation]: the create-job body against rules R-00…R-60.

The walk follows the body's own key order, so violations come out in document order. Values of
unknown fields and values of the wrong JSON type are reported and never descended into, so deep
or huge input costs no more than reading it once. Checks that depend on a value decided elsewhere
(the engine, the job type, the direction…) are skipped while that value is itself invalid.

One module per body section: base_info, endpoints, billing (period_order), node (node_info),
network (public_ip_list); shape holds SHAPE, the fields and JSON types of every object; walker
the Checker they share. The conditions themselves are the helpers of ..rules.
"""

import time

from ..i18n import _, gettext_noop
from . import base_info, billing, endpoints, network, node
from .shape import SHAPE, WANT, kind_of, shape_paths
from .walker import MAX_VIOLATIONS, Checker, Full, Violation, join, obj

__all__ = [
    "INCOMPLETE",
    "MAX_VIOLATIONS",
    "SHAPE",
    "Violation",
    "shape_paths",
    "validate",
    "validate_now",
    "warnings",
]

INCOMPLETE = gettext_noop("The body could not be checked completely; simplify it and try again.")


def _job(w, job):
    required = [
        ("base_info", "R-00", _("Add base_info: the task's name, scenario and engine.")),
        ("source_endpoint", "R-20", _("Add the source endpoint (exactly one).")),
        ("target_endpoint", "R-20", _("Add the target endpoint (exactly one).")),
    ]
    if w.charging == "period":
        required.append(
            ("period_order", "R-40", _("Yearly/monthly billing needs period_order."))
        )
    required.append(("node_info", "R-50", _("Add node_info with the DRS instance's node type.")))
    w.walk(
        job,
        "",
        "job",
        {
            "base_info": lambda v, p: base_info.check(w, v, p),
            "source_endpoint": lambda v, p: endpoints.check(w, v, p, "source"),
            "target_endpoint": lambda v, p: endpoints.check(w, v, p, "target"),
            "period_order": lambda v, p: billing.check(w, v, p),
            "node_info": lambda v, p: node.check(w, v, p),
            "public_ip_list": lambda v, p: network.check(w, v, p),
        },
        required,
    )


def validate_now(body):
    """validate() as DRS judges a body sent now: a start_time must be in the future (R-05)."""
    return validate(body, now_ms=int(time.time() * 1000))


def validate(body, *, now_ms=None):
    """Every violation of the body, in document order (at most MAX_VIOLATIONS + 1).

    now_ms: when given, start_time must be after it (R-05); otherwise only its format is checked.
    Never raises, whatever the input.
    """
    if not isinstance(body, dict):
        return [Violation("", "R-00", _('The body must be a JSON object: {"job": {...}}.'))]
    w = None
    try:
        job = body.get("job")
        w = Checker(obj(job), now_ms)
        for key in body:
            if key != "job":
                w.add(
                    join("", key), "R-00", _('Only "job" is allowed at the top level; remove this.')
                )
        if "job" not in body:
            w.add("", "R-00", _('The body needs "job": {"job": {...}}.'))
        elif not isinstance(job, dict):
            w.add(
                "",
                "R-00",
                _("job must be %(wanted)s, not %(found)s.")
                % {"wanted": _(WANT["obj"]), "found": kind_of(job)},
            )
        else:
            _job(w, job)
        return w.found
    except Full:
        return w.found + [
            Violation(
                "",
                "R-00",
                _("Only the first %(count)s problems are shown; fix these and check again.")
                % {"count": MAX_VIOLATIONS},
            )
        ]
    except Exception:  # the contract: never raise, whatever the input
        done = w.found if w else []
        return done + [Violation("", "R-00", _(INCOMPLETE))]


def warnings(body):
    """Non-blocking remarks (R-42); never raises."""
    job = obj(body.get("job")) if isinstance(body, dict) else {}
    base = obj(job.get("base_info"))
    if base.get("charging_mode") == "period" and "expired_days" in base:
        return [
            Violation(
                "base_info.expired_days",
                "R-42",
                _(
                    "Yearly/monthly tasks do not stop by themselves, so expired_days has no "
                    "effect here."
                ),
            )
        ]
    return []
