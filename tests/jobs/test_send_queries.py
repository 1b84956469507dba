"""What a send costs in queries (issue #11: the database queue's throughput is bound by each
job's round trips and the ORM's work per statement), pinned so that a statement added to the
send is seen: the submission read with its project, draft and body; the claim (the state and
the attempt, one commit, before DRS is called); the outcome (the attempt, the state, the status
event, one commit: a transition's outbox rows go in it). On PostgreSQL the claim is one
statement and the outcome's three writes one. A webhook added after a send is still told of
the next."""

import pytest
from django.db import connection
from django.test.utils import override_settings

from drsui.jobs.models import Attempt, StatusEvent, Submission
from drsui.jobs.services.submit import submission_create, submission_send
from drsui.notify.models import OutboxMessage, Webhook

# The worker's transactions as they are (no test transaction around them: no savepoints).
pytestmark = pytest.mark.django_db(transaction=True)
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The statements a send makes, BEGIN and COMMIT included (on PostgreSQL each a round trip).
SEND_STATEMENTS = {
    "postgresql": ["SELECT", "WITH", "BEGIN", "WITH", "COMMIT"],
    "sqlite": ["SELECT", "BEGIN", "UPDATE", "INSERT", "COMMIT",
               "BEGIN", "UPDATE", "UPDATE", "INSERT", "COMMIT"],
}


@pytest.fixture
def sandbox_uncounted(in_process_sandbox, monkeypatch):
    """The in-process sandbox answers on the test's own connection: its statements are DRS's
    side of the call, not the send's, and are left out of the count (the request it serves
    also empties the connection's query log: request_started; the log is put back)."""
    send = in_process_sandbox.send

    def uncounted(*args, **kwargs):
        logged = list(connection.queries_log)
        try:
            return send(*args, **kwargs)
        finally:
            connection.queries_log.clear()
            connection.queries_log.extend(logged)

    monkeypatch.setattr(in_process_sandbox, "send", uncounted)


def _queued(sandbox, make_draft, user) -> Submission:
    with override_settings(TASKS=DB_QUEUE):  # queued in the database, not sent yet
        return submission_create(draft=make_draft(sandbox.project), user=user)


def _sent(submission_id: int, django_assert_max_num_queries):
    with django_assert_max_num_queries(len(SEND_STATEMENTS[connection.vendor])) as captured:
        submission_send.call(submission_id)
    return captured


def test_a_send_makes_at_most_a_read_a_claim_and_an_outcome(
        sandbox, sandbox_uncounted, make_draft, demo_user, django_assert_max_num_queries):
    first, second = (_queued(sandbox, make_draft, demo_user) for _ in range(2))
    submission_send.call(first.pk)  # the process's first send also reads its projects' webhooks

    captured = _sent(second.pk, django_assert_max_num_queries)

    second.refresh_from_db()
    assert second.state == Submission.State.CREATED
    assert [job["id"] for job in sandbox.jobs(name=second.name)] == [second.drs_job_id]
    assert list(second.attempts.values_list("outcome", "drs_job_id")) == [
        (Attempt.Outcome.CREATED, second.drs_job_id)]
    assert list(StatusEvent.objects.filter(submission=second).values_list("status")) == [
        (second.drs_status,)]
    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    assert statements == SEND_STATEMENTS[connection.vendor]


def test_a_webhook_added_after_a_send_is_told_of_the_next(sandbox, make_draft, demo_user, settings):
    settings.DRSUI_WEBHOOK_HOSTS = []  # nothing posted: the outbox rows are what is looked at
    first, second = (_queued(sandbox, make_draft, demo_user) for _ in range(2))
    submission_send.call(first.pk)  # no webhook yet: none told
    webhook = Webhook(project=sandbox.project, name="ops room", format="json")
    webhook.set_url("https://hooks.example.com/drsui")
    webhook.save()

    submission_send.call(second.pk)

    assert list(OutboxMessage.objects.values_list("webhook", "event", "submission_id")) == [
        (webhook.pk, "sent", second.pk)]


def test_two_workers_given_one_submission_claim_it_once(sandbox, make_draft, demo_user):
    from drsui.jobs.services.submit import _claim

    submission = _queued(sandbox, make_draft, demo_user)
    read_by_both = Submission.objects.get(pk=submission.pk)  # both read it queued

    first = _claim(submission, Submission.State.QUEUED)
    second = _claim(read_by_both, Submission.State.QUEUED)

    assert first is not None and second is None
    assert list(submission.attempts.values_list("pk", "outcome")) == [(first.pk, "")]
    assert Submission.objects.get(pk=submission.pk).state == Submission.State.SENDING
