"""The audit trail: who created, submitted, retried, acted on or deleted what, and when."""

from collections.abc import Callable

from django.conf import settings
from django.utils import translation

from .models import AuditEvent


def audit_record(*, user, action: str, submission=None, draft_id: int | None = None,
                 detail: str | Callable[[], str] = "") -> AuditEvent:
    """Record one event. `user` may be None (a background task); detail never holds secrets.
    `detail`: names as they are, or a function saying it in the active language: then it is
    kept in each of the portal's languages, and every reader reads it in theirs."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if draft_id is None and submission is not None:
        draft_id = submission.draft_id
    translations = {}
    if callable(detail):
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                translations[code] = str(detail())[:2000]
        detail = translations.get(translation.get_language() or "") or str(detail())
    return AuditEvent.objects.create(
        user=user, action=action, submission=submission, draft_id=draft_id, detail=detail[:2000],
        translations=translations)
