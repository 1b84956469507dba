from django import template

from drsui.jobs.models import status_words as _status_words
from drsui.jobs.selectors import approvals_awaiting_count
from drsui.jobs.views import status_colour as _status_colour
from drsui.roles import is_ops as _is_ops

register = template.Library()


@register.filter
def is_ops(user) -> bool:
    """{% if user|is_ops %}: a superuser or a member of the ops group."""
    return _is_ops(user)


@register.filter
def status_colour(status) -> str:
    return _status_colour(str(status or ""))


@register.filter
def status_words(status) -> str:
    """{{ status|status_words }}: a status as the person reads it (in English the status
    itself, CONFIGURATION; in Chinese the DRS console's words, 配置中)."""
    return _status_words(str(status or ""))


@register.simple_tag(takes_context=True)
def approvals_waiting(context) -> int:
    """{% approvals_waiting as n %}: how many submissions await the person's decision (the
    top bar's badge): one COUNT, or none where the page counted them already."""
    if "approvals_waiting" in context:
        return context["approvals_waiting"]
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return approvals_awaiting_count(user)
