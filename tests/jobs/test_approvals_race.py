"""Two ops approving the same submission at once, and a double click: one transition, one
send (make test runs it on PostgreSQL too, where the row lock decides)."""

import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError, connections
from django.tasks.signals import task_enqueued

from drsui.errors import ApplicationError
from drsui.jobs.models import Submission
from drsui.jobs.services import approvals
from drsui.jobs.services.approvals import submission_transition
from drsui.jobs.services.submit import submission_create, submission_send
from drsui.jobs.signals import submission_transitioned

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.approval_policy]


def _approve(submission_id, user, outcomes, barrier):
    """The in-memory SQLite of the suite answers a concurrent writer "locked" at once where
    PostgreSQL waits on the row lock: try again, as a person would."""
    try:
        barrier.wait()
        for _ in range(200):
            try:
                outcomes.append(submission_transition(
                    submission_id=submission_id, action="approve", actor=user).state)
                return
            except OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                time.sleep(0.01)
            except ApplicationError:
                outcomes.append("refused")
                return
        outcomes.append("gave up")
    except Exception as exc:  # anything else would have been a 500
        outcomes.append(repr(exc))
    finally:
        connections.close_all()


@pytest.mark.parametrize("round_", range(3))
def test_two_approvers_and_a_double_click_give_one_transition_and_one_send(
        sandbox, make_draft, demo_user, django_user_model, settings, round_):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    ops = Group.objects.get_or_create(name="ops")[0]
    first, second = (django_user_model.objects.create_user(name, password=f"{name}-pass-1")
                     for name in ("oscar", "opal"))
    for user in (first, second):
        user.groups.add(ops)
    catch_all = approvals.catch_all_rule()
    catch_all.approvals_needed = 1
    catch_all.save()
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    assert submission.state == Submission.State.AWAITING

    queued = []

    def count_sends(sender, task_result, **kwargs):
        if task_result.task.name == submission_send.name:
            queued.append(task_result.args)

    announced = []

    def count_events(sender, submission, event, **kwargs):
        announced.append(event)

    task_enqueued.connect(count_sends, dispatch_uid="race-count-sends")
    submission_transitioned.connect(count_events, dispatch_uid="race-count-events")
    try:
        outcomes, barrier = [], threading.Barrier(3)
        threads = [threading.Thread(target=_approve, args=(submission.pk, user, outcomes,
                                                           barrier))
                   for user in (first, second, first)]  # `first` double-clicks
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        task_enqueued.disconnect(dispatch_uid="race-count-sends")
        submission_transitioned.disconnect(dispatch_uid="race-count-events")

    assert sorted(outcomes) == ["approved", "refused", "refused"], outcomes
    assert queued == [[submission.pk]] or queued == [(submission.pk,)]
    assert submission.approvals.count() == 1
    assert submission.audit.filter(action="approve").count() == 1
    assert announced == ["approved"]  # one transition told (one notification per webhook)
    for args in queued:  # the queue runs it (and a second run would find it claimed)
        submission_send.call(*args)
    submission_send.call(submission.pk)
    submission.refresh_from_db()
    assert submission.state == Submission.State.CREATED
    assert len(sandbox.jobs(name=submission.name)) == 1 and submission.attempts.count() == 1
