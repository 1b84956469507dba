"""A submit and a delete of the same draft at the same moment: each ends definitely, with a
message, never a 500 (issue #10, item 5)."""

import html
import threading
import time

import pytest
from django.db import IntegrityError, OperationalError, connections
from django.urls import reverse

from drsui.audit.models import AuditEvent
from drsui.errors import ApplicationError
from drsui.jobs.models import Submission
from drsui.jobs.services.submit import submission_create
from drsui.wizard.models import Draft
from drsui.wizard.services import DraftGone, draft_delete

pytestmark = pytest.mark.django_db(transaction=True)

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
GONE = "This draft was deleted (in another tab?): nothing was sent."
KEPT = "A submitted draft is kept with its submission and can't be deleted."


@pytest.fixture(autouse=True)
def _queue_only(settings):
    settings.TASKS = DUMMY_TASKS  # nothing is sent: the project listens nowhere


def test_submitting_a_draft_deleted_meanwhile_says_it_is_gone(make_draft, project, demo_user):
    opened = make_draft(project)  # the review page, loaded before the other tab deleted it
    draft_delete(draft=Draft.objects.get(pk=opened.pk))
    with pytest.raises(DraftGone) as refused:
        submission_create(draft=opened, user=demo_user)
    assert refused.value.message == GONE
    assert not Submission.objects.exists()


def test_deleting_a_draft_submitted_meanwhile_is_refused(client, make_draft, project,
                                                         demo_user):
    opened = make_draft(project)  # the delete page, loaded before the other tab submitted
    submission_create(draft=Draft.objects.get(pk=opened.pk), user=demo_user)
    with pytest.raises(ApplicationError) as refused:
        draft_delete(draft=opened)
    assert refused.value.message == KEPT
    assert Draft.objects.filter(pk=opened.pk).exists()
    assert not AuditEvent.objects.filter(action="draft_delete").exists()
    client.force_login(demo_user)
    response = client.post(reverse("draft_delete", args=[opened.pk]), follow=True)
    assert response.status_code == 200 and KEPT in html.unescape(response.content.decode())


def test_deleting_a_draft_deleted_meanwhile_says_so(make_draft, project):
    opened = make_draft(project)
    draft_delete(draft=Draft.objects.get(pk=opened.pk))
    with pytest.raises(DraftGone, match=r"already deleted"):
        draft_delete(draft=opened)
    assert AuditEvent.objects.filter(action="draft_delete").count() == 1


def test_an_integrity_error_other_than_the_active_submission_rule_is_not_read_as_one(
        make_draft, project, demo_user, django_user_model):
    """A user deleted meanwhile breaks another constraint: not "already being sent"."""
    draft = make_draft(project)
    # no such row; a superuser, who may use every project
    ghost = django_user_model(pk=987654, username="ghost", is_superuser=True)
    with pytest.raises(IntegrityError):
        submission_create(draft=draft, user=ghost)
    assert not Submission.objects.exists()


def _retrying(act, draft_pk, outcomes, barrier):
    """act(draft) on the draft as loaded before both start (a page opened earlier). The test
    database (in-memory SQLite, shared cache) answers a concurrent writer "table is locked" at
    once where a file database or PostgreSQL waits: try again, as a person would."""
    try:
        draft = Draft.objects.select_related("project").get(pk=draft_pk)
        barrier.wait()
        for _ in range(100):
            try:
                outcomes.append(act(draft))
                return
            except OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                time.sleep(0.01)
            except ApplicationError as exc:
                outcomes.append(exc.message)
                return
        outcomes.append("gave up")
    except Exception as exc:  # anything else would have been a 500
        outcomes.append(repr(exc))
    finally:
        connections.close_all()


@pytest.mark.parametrize("round_", range(6))
def test_a_submit_and_a_delete_at_once_end_in_one_definite_outcome(make_draft, project,
                                                                   demo_user, round_):
    draft_pk = make_draft(project).pk
    submits, deletes, barrier = [], [], threading.Barrier(2)

    def submit(draft):
        return submission_create(draft=draft, user=demo_user)

    def delete(draft):
        draft_delete(draft=draft)
        return "deleted"

    threads = [threading.Thread(target=_retrying, args=(submit, draft_pk, submits, barrier)),
               threading.Thread(target=_retrying, args=(delete, draft_pk, deletes, barrier))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    if Draft.objects.filter(pk=draft_pk).exists():
        assert isinstance(submits[0], Submission) and deletes == [KEPT], (submits, deletes)
        assert Submission.objects.filter(draft_id=draft_pk, active=True).count() == 1
    else:
        assert submits == [GONE] and deletes == ["deleted"], (submits, deletes)
        assert not Submission.objects.exists()
