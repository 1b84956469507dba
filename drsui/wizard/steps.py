"""The wizard's steps, in order, and which body paths each step owns.

A violation (from the contract or from DRS) names a body path; `step_for_path` says which step
a person must open to fix it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Step:
    slug: str
    title: str  # lazy: said in the person's language when shown
    owns: tuple[str, ...] = ()


STEPS = (
    Step("base", _("Base info"), ("base_info",)),
    Step("source", _("Source endpoint"), ("source_endpoint",)),
    Step("target", _("Target endpoint"), ("target_endpoint",)),
    Step("network", _("Network"), ("base_info.net_type", "node_info.vpc", "public_ip_list")),
    Step("billing", _("Billing"), ("base_info.charging_mode", "period_order")),
    Step("node", pgettext_lazy("wizard step", "Node"), ("node_info",)),
    Step("review", _("Review")),
)
STEP_SLUGS = tuple(s.slug for s in STEPS)
REVIEW_INDEX = len(STEPS) - 1
_BY_SLUG = {s.slug: s for s in STEPS}


def step_get(slug: str) -> Step | None:
    return _BY_SLUG.get(slug)


def step_index(slug: str) -> int:
    return STEP_SLUGS.index(slug)


def _covers(prefix: str, path: str) -> bool:
    return path == prefix or path.startswith(prefix + ".")


def step_for_path(path: str) -> Step:
    """The step owning `path`: the longest owning prefix wins (node_info.vpc is Network's)."""
    best, best_len = STEPS[-1], -1
    for step in STEPS:
        for prefix in step.owns:
            if _covers(prefix, path) and len(prefix) > best_len:
                best, best_len = step, len(prefix)
    return best
