"""Who may do what: portal users see their own submissions; the ops group sees all and acts."""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
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
        known = _in_group(user, OPS_GROUP)
        remember_is_ops(user, known)
    return known


def _in_group(user, name: str) -> bool:
    """user.groups.filter(name=name).exists(), written out: every page asks it (the top bar's
    Dashboard link), and building the ORM's query cost ten times what the query does."""
    membership = get_user_model().groups.through._meta
    quote = connection.ops.quote_name
    member, group = (quote(membership.get_field(f).column) for f in ("user", "group"))
    sql = (f"SELECT 1 FROM {quote(membership.db_table)} m "
           f"JOIN {quote(Group._meta.db_table)} g ON g.id = m.{group} "
           f"WHERE m.{member} = %s AND g.name = %s LIMIT 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, name])
        return cursor.fetchone() is not None


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
