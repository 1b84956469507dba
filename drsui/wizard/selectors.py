from django.shortcuts import get_object_or_404

from .models import CloudProject, Draft


def draft_get_for_user(*, user, draft_id: int) -> Draft:
    """The user's own draft, or 404 whoever else's it is."""
    return get_object_or_404(Draft.objects.select_related("project"), pk=draft_id, owner=user)


def draft_list_for_user(*, user):
    return Draft.objects.filter(owner=user).select_related("project")


def project_list():
    return CloudProject.objects.all()
