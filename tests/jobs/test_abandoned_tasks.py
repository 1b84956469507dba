"""A queue worker killed in the middle of a task (SIGKILL, out of memory): django-tasks-db
leaves the task "running" for ever. The status refresher queues it again, and the submission
is sent once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from drsui.jobs.models import Submission
from drsui.jobs.services.submit import submission_create

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def claimed_by_a_worker_that_died(*, minutes_ago: float) -> DBTaskResult:
    """The queue's one task, claimed as db_worker claims it, by a worker that never finished."""
    [task] = DBTaskResult.objects.all()
    task.claim("worker-killed-by-sigkill")
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago))
    return task


def run_the_queue():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_send_whose_worker_died_is_queued_again_and_sent_once(sandbox, make_draft, demo_user):
    with override_settings(TASKS=DB_QUEUE):
        submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
        claimed_by_a_worker_that_died(minutes_ago=10)
        run_the_queue()  # the other workers: nothing ready to run
        submission.refresh_from_db()
        assert submission.state == Submission.State.QUEUED

        call_command("drsui_refresh_status", "--once")
        run_the_queue()

    submission.refresh_from_db()
    assert submission.state == Submission.State.CREATED
    assert [job["id"] for job in sandbox.jobs(name=submission.name)] == [submission.drs_job_id]


@pytest.mark.django_db(transaction=True)
def test_a_task_still_within_its_time_is_left_to_its_worker(sandbox, make_draft, demo_user):
    with override_settings(TASKS=DB_QUEUE):
        submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
        task = claimed_by_a_worker_that_died(minutes_ago=0.5)
        call_command("drsui_refresh_status", "--once")
        run_the_queue()

    task.refresh_from_db()
    submission.refresh_from_db()
    assert (task.status, submission.state) == ("RUNNING", Submission.State.QUEUED)
    assert sandbox.jobs(name=submission.name) == []


@pytest.mark.django_db(transaction=True)
def test_a_send_cut_off_mid_way_is_looked_up_and_its_attempt_closed(sandbox, make_draft,
                                                                    demo_user):
    """The worker claimed the submission, sent the create (DRS made the job) and was killed
    before it could record the answer."""
    from drsui import contract as c
    from drsui.jobs.models import Attempt
    from drsui.jobs.services.submit import _claim

    with override_settings(TASKS=DB_QUEUE):
        submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
        claimed_by_a_worker_that_died(minutes_ago=10)
        _claim(submission, Submission.State.QUEUED)
        job = sandbox.client.create_job(
            c.merge_secrets(submission.body, submission.draft.secrets()))
        Submission.objects.filter(pk=submission.pk).update(
            updated_at=timezone.now() - timedelta(minutes=10))

        call_command("drsui_refresh_status", "--once")  # sending -> unknown, found by name
        run_the_queue()  # the requeued task finds the submission settled: sends nothing

    submission.refresh_from_db()
    assert (submission.state, submission.drs_job_id) == (Submission.State.CREATED, job["id"])
    outcomes = list(submission.attempts.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == [Attempt.Outcome.UNKNOWN, Attempt.Outcome.FOUND]
    assert [j["id"] for j in sandbox.jobs(name=submission.name)] == [job["id"]]


@pytest.mark.django_db(transaction=True)
def test_only_sends_are_queued_again(sandbox, make_draft, demo_user):
    """A status refresh running long (DRS slow) is not started again beside itself."""
    from drsui.jobs.services.refresh import tasks_requeue_abandoned

    with override_settings(TASKS=DB_QUEUE):
        submission_create(draft=make_draft(sandbox.project), user=demo_user)
        send = claimed_by_a_worker_that_died(minutes_ago=10)
        refresh = DBTaskResult.objects.create(
            task_path="drsui.jobs.services.refresh.submission_refresh_due", args_kwargs={},
            backend_name="default", run_after=timezone.now(), status="RUNNING",
            started_at=timezone.now() - timedelta(minutes=10))

        assert tasks_requeue_abandoned(timezone.now()) == 1

    send.refresh_from_db()
    refresh.refresh_from_db()
    assert (send.status, refresh.status) == ("READY", "RUNNING")


def _a_slow_send(sandbox, make_draft, demo_user):
    """A send claimed an attempt, then took longer than any send can: the refresher's turn."""
    from drsui.jobs.services.submit import _claim

    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    attempt = _claim(submission, Submission.State.QUEUED)
    Submission.objects.filter(pk=submission.pk).update(
        updated_at=timezone.now() - timedelta(minutes=10))
    return submission, attempt


def _late_answer(sandbox, submission, attempt):
    from drsui import contract as c
    from drsui.jobs.models import Attempt
    from drsui.jobs.services.submit import _created, _finish

    job = sandbox.client.create_job(c.merge_secrets(submission.body, submission.draft.secrets()))
    _created(submission, job)
    _finish(submission, attempt, Attempt.Outcome.CREATED)
    return job


@pytest.mark.django_db(transaction=True)
def test_an_answer_after_the_send_was_taken_for_interrupted_settles_it(
        sandbox, make_draft, demo_user):
    from drsui.jobs.services.refresh import _sends_interrupted

    with override_settings(TASKS=DB_QUEUE):
        submission, attempt = _a_slow_send(sandbox, make_draft, demo_user)
        _sends_interrupted(timezone.now())  # sending -> unknown, before its look-up
        job = _late_answer(sandbox, submission, attempt)

    submission.refresh_from_db()
    assert (submission.state, submission.drs_job_id) == (Submission.State.CREATED, job["id"])


@pytest.mark.django_db(transaction=True)
def test_an_answer_after_the_look_up_settled_it_changes_nothing(
        sandbox, make_draft, demo_user, caplog):
    from drsui.jobs.models import Attempt

    with override_settings(TASKS=DB_QUEUE):
        submission, attempt = _a_slow_send(sandbox, make_draft, demo_user)
        call_command("drsui_refresh_status", "--once")  # unknown, looked up: no such job
        job = _late_answer(sandbox, submission, attempt)

    submission.refresh_from_db()
    attempt.refresh_from_db()
    assert submission.state == Submission.State.FAILED
    assert attempt.outcome == Attempt.Outcome.CREATED
    assert job["id"] in caplog.text  # for ops: a job DRS made that no submission holds
