"""The audit trail: who created, submitted, retried, acted on or deleted what, and when."""

from .models import AuditEvent


def audit_record(*, user, action: str, submission=None, draft_id: int | None = None,
                 detail: str = "") -> AuditEvent:
    """Record one event. `user` may be None (a background task); detail never holds secrets."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if draft_id is None and submission is not None:
        draft_id = submission.draft_id
    return AuditEvent.objects.create(
        user=user, action=action, submission=submission, draft_id=draft_id, detail=detail[:2000])
