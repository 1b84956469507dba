"""Submitting over real HTTP to the sandbox: what a submission records, and idempotency."""

import re
import threading
import time

import pytest
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, connections, transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from drsui.audit.models import AuditEvent
from drsui.jobs.models import Attempt, StatusEvent, Submission
from drsui.jobs.services.submit import submission_create, submission_send
from drsui.wizard.models import Draft
from drsui.wizard.services import draft_from_body
from tests.contract.bodies import SECRET_VALUES, oracle_body

pytestmark = pytest.mark.django_db(transaction=True)

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_submit_records_who_when_where_the_masked_body_attempt_and_status(
        sandbox, make_draft, demo_user):
    draft = make_draft(sandbox.project)
    submission = submission_create(draft=draft, user=demo_user)
    submission.refresh_from_db()

    assert submission.state == Submission.State.CREATED and submission.active
    assert (submission.user, submission.project) == (demo_user, sandbox.project)
    assert submission.created_at is not None
    assert submission.engine_type == "oracle-to-gaussdbv5"
    [job] = sandbox.jobs(name=draft.name)
    assert submission.drs_job_id == job["id"]
    assert submission.drs_status == "CREATING"
    # The body as sent, each secret replaced by the mask.
    body = str(submission.body)
    assert "******" in body and not any(secret in body for secret in SECRET_VALUES)
    [attempt] = submission.attempts.all()
    assert attempt.outcome == Attempt.Outcome.CREATED
    assert (attempt.drs_job_id, attempt.drs_status) == (job["id"], "CREATING")
    assert attempt.finished_at is not None
    assert list(submission.events.values_list("status", flat=True)) == ["CREATING"]
    assert submission.next_refresh_at is not None  # the background refresh will look
    [event] = AuditEvent.objects.filter(action="submit")
    assert (event.user, event.submission, event.draft_id) == (demo_user, submission, draft.pk)


def test_a_second_submit_returns_the_active_submission_and_sends_nothing(
        sandbox, make_draft, demo_user):
    draft = make_draft(sandbox.project)
    first = submission_create(draft=draft, user=demo_user)
    second = submission_create(draft=draft, user=demo_user)
    assert second.pk == first.pk
    assert Submission.objects.count() == 1 and Attempt.objects.count() == 1
    assert AuditEvent.objects.filter(action="submit").count() == 1
    assert len(sandbox.jobs(name=draft.name)) == 1


def test_double_click_and_second_tab_over_http_make_one_job(
        client, sandbox, make_draft, demo_user):
    draft = make_draft(sandbox.project)
    client.force_login(demo_user)
    review = reverse("draft_step", args=[draft.pk, "review"])
    answers = [client.post(review) for _ in range(3)]
    assert {a.status_code for a in answers} == {302}
    assert len({a.url for a in answers}) == 1
    assert Submission.objects.filter(draft=draft).count() == 1
    assert len(sandbox.jobs(name=draft.name)) == 1


def test_the_database_refuses_a_second_active_submission(sandbox, make_draft, demo_user):
    draft = make_draft(sandbox.project)
    submission_create(draft=draft, user=demo_user)
    with pytest.raises(IntegrityError):
        Submission.objects.create(draft=draft, user=demo_user, project=sandbox.project,
                                  name=draft.name)


def _create_retrying(draft_pk, user, results, barrier):
    """submission_create from another thread. The test database (in-memory SQLite, shared
    cache) answers a concurrent writer "table is locked" at once where a file database or
    PostgreSQL would wait: the caller then tries again, as a person's second click would."""
    try:
        barrier.wait()
        for _ in range(50):
            try:
                draft = Draft.objects.select_related("project").get(pk=draft_pk)
                results.append(submission_create(draft=draft, user=user).pk)
                return
            except OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                time.sleep(0.02)
        results.append("gave up")
    finally:
        connections.close_all()


def test_concurrent_submits_make_one_active_submission_and_one_drs_job(
        sandbox, make_draft, demo_user, settings):
    settings.TASKS = DUMMY_TASKS  # queue only; the send runs below, twice
    draft = make_draft(sandbox.project)
    results, barrier = [], threading.Barrier(2)
    threads = [threading.Thread(target=_create_retrying,
                                args=(draft.pk, demo_user, results, barrier)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 2 and results[0] == results[1], results
    assert Submission.objects.filter(draft=draft, active=True).count() == 1
    assert Submission.objects.filter(draft=draft).count() == 1
    # A queue may deliver the task twice: the second run finds it already claimed.
    submission_send.call(results[0])
    submission_send.call(results[0])
    assert len(sandbox.jobs(name=draft.name)) == 1
    assert Attempt.objects.filter(submission_id=results[0]).count() == 1
    assert StatusEvent.objects.filter(submission_id=results[0]).count() == 1


def test_the_result_page_polls_each_second_while_sending(
        client, sandbox, make_draft, demo_user, settings):
    settings.TASKS = DUMMY_TASKS
    draft = make_draft(sandbox.project)
    submission = submission_create(draft=draft, user=demo_user)
    client.force_login(demo_user)
    page = client.get(reverse("submission_detail", args=[submission.pk])).content.decode()
    assert "Sending to DRS…" in page and 'hx-trigger="every 1s"' in page
    submission_send.call(submission.pk)
    poll = client.get(reverse("submission_detail", args=[submission.pk]),
                      headers={"HX-Request": "true"}).content.decode()
    assert "Created at DRS." in poll and "<html" not in poll
    assert re.search(r'hx-trigger="every [12]s"', poll)  # CREATING moves on soon



DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_on_the_database_queue_a_submission_and_its_task_commit_together(
        settings, sandbox, make_draft, demo_user):
    settings.TASKS = DATABASE_QUEUE
    kept, undone = make_draft(sandbox.project), make_draft(sandbox.project)
    with pytest.raises(RuntimeError), transaction.atomic():
        submission_create(draft=undone, user=demo_user)
        # The task row is written in the submission's transaction, not after it.
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the caller's transaction fails")
    assert not Submission.objects.filter(draft=undone).exists()
    assert not DBTaskResult.objects.exists()

    submission = submission_create(draft=kept, user=demo_user)
    [task] = DBTaskResult.objects.all()
    assert task.task_result.args == [submission.pk]
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    submission.refresh_from_db()
    assert submission.state == Submission.State.CREATED
    assert [job["id"] for job in sandbox.jobs(name=kept.name)] == [submission.drs_job_id]


def test_a_task_without_a_name_is_not_sent_and_the_review_says_why(
        client, sandbox, demo_user):
    body = oracle_body()
    del body["job"]["base_info"]["name"]  # optional in the API; DRS would make one up
    draft = draft_from_body(owner=demo_user, body=body, project=sandbox.project)
    client.force_login(demo_user)

    response = client.post(reverse("draft_submit", args=[draft.pk]), follow=True)

    assert "Name the task on the Base info step first" in response.content.decode()
    assert not Submission.objects.exists() and sandbox.jobs() == []
