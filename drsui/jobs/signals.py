"""What happens to a submission, for whoever listens (the notifications of drsui.notify).

`submission_transitioned` is sent inside the transaction that makes the change, so a
receiver's own writes (an outbox row) commit or roll back with it. Receivers must not call
out (no HTTP): they record, and the queue delivers after the commit."""

from django.dispatch import Signal

# kwargs: submission (jobs.Submission, after the change), event (one of EVENTS),
# actor (the user who caused it, or None for the portal itself), comment (str, may be "").
submission_transitioned = Signal()

EVENTS = ("requested", "approved", "rejected", "withdrawn", "expired", "reminder", "sent",
          "failed")
