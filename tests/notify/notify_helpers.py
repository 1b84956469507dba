"""What the notify tests share: the transition CORE makes, and the receiver's check."""

import hashlib
import hmac

from django.db import transaction

from drsui.jobs.models import Submission
from drsui.jobs.signals import submission_transitioned

WEBHOOK_SECRET = "whsec-notify-test-7Qz9"


def transition(submission, event, *, actor=None, comment=""):
    """What CORE's transition function does: the change's transaction sends the signal."""
    with transaction.atomic():
        submission.save()
        submission_transitioned.send(sender=Submission, submission=submission, event=event,
                                     actor=actor, comment=comment)


def drsui_signature_ok(request, secret=WEBHOOK_SECRET) -> bool:
    """The check README tells a receiver to make."""
    timestamp = request["headers"]["X-Drsui-Timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + request["body"],
                        hashlib.sha256).hexdigest()
    return hmac.compare_digest(request["headers"]["X-Drsui-Signature"], f"sha256={expected}")
