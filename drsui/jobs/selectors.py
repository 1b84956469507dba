from django.shortcuts import get_object_or_404

from .models import Submission


def submission_get_for_user(*, user, submission_id: int) -> Submission:
    """The user's own submission (the ops group sees every one), or 404."""
    qs = Submission.objects.select_related("draft", "project", "user")
    if not (user.is_superuser or user.groups.filter(name="ops").exists()):
        qs = qs.filter(user=user)
    return get_object_or_404(qs, pk=submission_id)
