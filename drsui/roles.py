"""Who may do what: portal users see their own submissions; the ops group sees all and acts."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

OPS_GROUP = "ops"


def is_ops(user) -> bool:
    """A superuser or a member of the "ops" group (one query per request, then remembered)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    known = getattr(user, "_drsui_in_ops", None)
    if known is None:
        known = user.groups.filter(name=OPS_GROUP).exists()
        remember_is_ops(user, known)
    return known


def remember_is_ops(user, in_ops_group: bool):
    """For this request: a query that already read the user's ops membership saves one."""
    user._drsui_in_ops = in_ops_group


def ops_required(view):
    """Log in first; then 403 for anyone not in ops."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_ops(request.user):
            raise PermissionDenied(_("The dashboard is for the ops group."))
        return view(request, *args, **kwargs)

    return wrapped
