"""Every transition CORE makes writes exactly one outbox message per webhook of its project, by
the real paths (not a stand-in): requested, approved, rejected, withdrawn, reminder, expired,
and the sender's sent and failed, also through a retry and each unknown outcome (a 500, a
hang found by name, a look-up that hangs too and the refresh that settles it)."""

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from drsui.errors import ApplicationError
from drsui.jobs.models import Submission
from drsui.jobs.services import approvals
from drsui.jobs.services.approvals import submission_transition
from drsui.jobs.services.clients import drs_client_for
from drsui.jobs.services.refresh import submissions_refresh_due
from drsui.jobs.services.submit import resolve_unknown, submission_create, submission_retry
from drsui.notify.models import OutboxMessage, Webhook
from drsui.sandbox.faults import clear_faults, set_faults

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.approval_policy]


@pytest.fixture
def webhooks(sandbox, settings):
    """Two webhooks on the sandbox's project; nothing is posted (no host is allowed): the
    outbox rows are what is counted."""
    settings.DRSUI_WEBHOOK_HOSTS = []
    made = []
    for format in ("json", "wecom"):
        webhook = Webhook(project=sandbox.project, name=format, format=format)
        webhook.set_url("https://hooks.example.com/drsui")
        webhook.set_secret("whsec-e2e")
        webhook.save()
        made.append(webhook)
    return made


@pytest.fixture
def second_ops(django_user_model):
    user = django_user_model.objects.create_user("opal", password="opal-pass-1")
    user.groups.add(Group.objects.get_or_create(name="ops")[0])
    return user


def outbox(submission) -> list[str]:
    """The submission's events, in order, each checked to be there once per webhook."""
    rows = list(OutboxMessage.objects.filter(submission_id=submission.pk).order_by("id"))
    per_webhook = Counter((m.webhook_id, m.event) for m in rows)
    assert set(per_webhook.values()) <= {1}, per_webhook  # never twice to one webhook
    events = [m.event for m in rows]
    assert all(events.count(e) == 2 for e in events), events  # each to both webhooks
    return list(dict.fromkeys(events))


@pytest.fixture
def short_timeout(settings):
    settings.DRSUI_HTTP_READ_TIMEOUT = 0.4


def _request(make_draft, project, user, **rule):
    catch_all = approvals.catch_all_rule()
    for field, value in {"approvals_needed": 1, "expires_after_hours": None,
                         "remind_after_hours": None, **rule}.items():
        setattr(catch_all, field, value)
    catch_all.save()
    return submission_create(draft=make_draft(project), user=user)


def test_approved_then_sent(sandbox, webhooks, make_draft, demo_user, ops_user):
    submission = _request(make_draft, sandbox.project, demo_user)
    submission_transition(submission_id=submission.pk, action="approve", actor=ops_user)
    submission.refresh_from_db()
    assert submission.state == Submission.State.CREATED
    assert outbox(submission) == ["requested", "approved", "sent"]


def test_rejected_and_withdrawn(sandbox, webhooks, make_draft, demo_user, ops_user):
    rejected = _request(make_draft, sandbox.project, demo_user)
    submission_transition(submission_id=rejected.pk, action="reject", actor=ops_user,
                          comment="not tonight")
    withdrawn = _request(make_draft, sandbox.project, demo_user)
    submission_transition(submission_id=withdrawn.pk, action="withdraw", actor=demo_user)
    assert outbox(rejected) == ["requested", "rejected"]
    assert outbox(withdrawn) == ["requested", "withdrawn"]


def test_reminded_once_then_expired(sandbox, webhooks, make_draft, demo_user, monkeypatch):
    submission = _request(make_draft, sandbox.project, demo_user, expires_after_hours=24,
                          remind_after_hours=4)
    start = timezone.now()
    for hours in (5, 6, 25, 26):
        monkeypatch.setattr(timezone, "now", lambda h=hours: start + timedelta(hours=h))
        submissions_refresh_due()
    assert outbox(submission) == ["requested", "reminder", "expired"]


def test_a_500_looked_up_and_absent_fails_once_and_its_retry_asks_again(
        sandbox, webhooks, make_draft, demo_user, ops_user, second_ops):
    submission = _request(make_draft, sandbox.project, demo_user)
    set_faults(error_rate=1, scope="create")
    submission_transition(submission_id=submission.pk, action="approve", actor=ops_user)
    submission.refresh_from_db()
    assert (submission.state, submission.error_code) == ("failed", "NOT_CREATED")
    assert outbox(submission) == ["requested", "approved", "failed"]

    clear_faults()
    retry = submission_retry(submission=submission, user=ops_user)
    assert retry.state == Submission.State.AWAITING
    with pytest.raises(ApplicationError, match="a retry"):  # who asked for it: four eyes
        submission_transition(submission_id=retry.pk, action="approve", actor=ops_user)
    submission_transition(submission_id=retry.pk, action="approve", actor=second_ops)
    retry.refresh_from_db()
    assert retry.state == Submission.State.CREATED
    assert outbox(retry) == ["requested", "approved", "sent"]
    assert outbox(submission) == ["requested", "approved", "failed"]  # nothing more


def test_a_hang_found_by_name_is_sent_once(sandbox, webhooks, make_draft, demo_user,
                                           ops_user, short_timeout):
    submission = _request(make_draft, sandbox.project, demo_user)
    set_faults(hang_seconds=1, scope="create")
    submission_transition(submission_id=submission.pk, action="approve", actor=ops_user)
    submission.refresh_from_db()
    assert submission.state == Submission.State.CREATED
    assert outbox(submission) == ["requested", "approved", "sent"]


def test_an_unknown_outcome_settled_by_the_refresh_and_by_a_retry(
        sandbox, webhooks, make_draft, demo_user, ops_user, short_timeout):
    by_refresh = _request(make_draft, sandbox.project, demo_user)
    by_retry = _request(make_draft, sandbox.project, demo_user)
    set_faults(hang_seconds=1)  # the look-up by name hangs too
    for submission in (by_refresh, by_retry):
        submission_transition(submission_id=submission.pk, action="approve", actor=ops_user)
        submission.refresh_from_db()
        assert submission.state == Submission.State.UNKNOWN
        assert outbox(submission) == ["requested", "approved"]  # unknown is no event
    clear_faults()
    Submission.objects.filter(pk=by_refresh.pk).update(next_refresh_at="2000-01-01T00:00Z")
    submissions_refresh_due()
    submission_retry(submission=by_retry, user=ops_user)
    for submission in (by_refresh, by_retry):
        submission.refresh_from_db()
        assert submission.state == Submission.State.CREATED
        assert outbox(submission) == ["requested", "approved", "sent"]
        assert len(sandbox.jobs(name=submission.name)) == 1


def test_a_look_up_ending_after_another_settled_it_neither_fails_it_nor_tells(
        sandbox, webhooks, make_draft, demo_user, ops_user, short_timeout):
    """Two look-ups by name of one unknown outcome (a send taken for lost, and its worker that
    was not): the one that ends last finds nothing to do, whatever DRS answered it."""
    submission = _request(make_draft, sandbox.project, demo_user)
    set_faults(error_rate=1)  # the create is not made, and the look-up gets no answer
    submission_transition(submission_id=submission.pk, action="approve", actor=ops_user)
    clear_faults()
    late = Submission.objects.select_related("draft", "project").get(pk=submission.pk)
    assert late.state == Submission.State.UNKNOWN
    Submission.objects.filter(pk=submission.pk).update(  # the other look-up found it
        state=Submission.State.CREATED, drs_job_id="found-by-the-other", drs_status="CREATING")
    late.state = Submission.State.SENDING  # as the late one claimed it before
    resolve_unknown(late, drs_client_for(sandbox.project))  # DRS has no job of its name
    submission.refresh_from_db()
    assert (submission.state, submission.drs_job_id) == ("created", "found-by-the-other")
    assert outbox(submission) == ["requested", "approved"]  # no "failed"
