"""Approval before sending: the policy, every (state, action) pair, four eyes, the digest the
sender checks, expiry and reminders, and the events listeners receive."""

import io
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from drsui import contract as c
from drsui.errors import ApplicationError
from drsui.jobs.models import Approval, ApprovalRule, Submission, SubmissionBody
from drsui.jobs.services import approvals
from drsui.jobs.services.approvals import policy_match, submission_transition
from drsui.jobs.services.refresh import submissions_refresh_due
from drsui.jobs.services.submit import submission_create, submission_send
from drsui.jobs.signals import submission_transitioned
from drsui.wizard.models import CloudProject
from tests.contract.bodies import oracle_body

pytestmark = pytest.mark.approval_policy

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
S = Submission.State


@pytest.fixture
def ops_group(db):
    return Group.objects.get_or_create(name="ops")[0]


@pytest.fixture
def approver(django_user_model, ops_group):
    user = django_user_model.objects.create_user("oscar", password="oscar-pass-1")
    user.groups.add(ops_group)
    return user


@pytest.fixture
def events():
    """Every submission_transitioned event, as (submission id, event, actor, comment)."""
    seen = []

    def receiver(sender, submission, event, actor, comment, **kwargs):
        seen.append((submission.pk, event, actor, comment))

    submission_transitioned.connect(receiver, dispatch_uid="test-approvals")
    yield seen
    submission_transitioned.disconnect(dispatch_uid="test-approvals")


@pytest.fixture
def queue_only(settings):
    settings.TASKS = DUMMY_TASKS  # an approved submission is queued, not sent


def awaiting(make_draft, project, user, **rule):
    """A submission of a new draft held for approval under the catch-all set to `rule`."""
    catch_all = approvals.catch_all_rule()
    for field, value in {"approvals_needed": 1, **rule}.items():
        setattr(catch_all, field, value)
    catch_all.save()
    submission = submission_create(draft=make_draft(project, owner=user), user=user)
    assert submission.state == S.AWAITING and submission.active
    return submission


# --- the policy -----------------------------------------------------------------------------


def _body(**base):
    body = oracle_body()
    body["job"]["base_info"].update(base)
    return body


@pytest.fixture
def policy(project, ops_group):
    other = CloudProject.objects.create(
        name="Other", region="cn-north-4", project_id="1" * 32,
        drs_endpoint="http://127.0.0.1:9/x", iam_endpoint="http://127.0.0.1:9/x")
    rules = [
        dict(position=5, name="disabled", enabled=False, job_type="sync", approvals_needed=3),
        dict(position=10, name="prod", tag="env=prod", approvals_needed=2),
        dict(position=20, name="mysql free", engine_type="mysql-to-mysql", approvals_needed=0),
        dict(position=30, name="yearly", charging_mode="period", approvals_needed=1),
        dict(position=40, name="other project", project=other, approvals_needed=1),
        dict(position=50, name="big node", node_type="high", job_type="sync",
             approvals_needed=1),
    ]
    for rule in rules:
        ApprovalRule.objects.create(approver_group=ops_group, **rule)
    return {"other": other}


@pytest.mark.parametrize(("body", "in_other_project", "expected"), [
    (_body(), False, "Everything else"),  # nothing matches: the catch-all, never none
    (_body(tags=[{"key": "env", "value": "prod"}]), False, "prod"),
    (_body(tags=[{"key": "env", "value": "dev"}]), False, "Everything else"),
    (_body(tags=[{"key": "env", "value": "prod"}], engine_type="mysql-to-mysql"), False,
     "prod"),  # the first in position order wins
    (_body(engine_type="mysql-to-mysql"), False, "mysql free"),
    (_body(charging_mode="period"), False, "yearly"),
    (_body(), True, "other project"),
])
def test_the_first_enabled_matching_rule_decides(policy, project, body, in_other_project,
                                                 expected):
    where = policy["other"] if in_other_project else project
    assert policy_match(body=body, project=where).name == expected


def test_every_condition_of_a_rule_must_hold(policy, project):
    body = oracle_body()
    body["job"]["node_info"]["spec"]["node_type"] = "high"
    assert policy_match(body=body, project=project).name == "big node"
    body["job"]["base_info"]["job_type"] = "migration"  # node_type holds, job_type not
    assert policy_match(body=body, project=project).name == "Everything else"


def test_the_catch_all_is_always_there_and_matches_everything(project, ops_group):
    catch_all = approvals.catch_all_rule()
    assert (catch_all.approvals_needed, catch_all.approver_group) == (1, ops_group)
    with pytest.raises(ValidationError):
        catch_all.delete()
    catch_all.enabled = False
    with pytest.raises(ValidationError):
        catch_all.full_clean()
    catch_all.enabled, catch_all.engine_type = True, "mysql-to-mysql"
    with pytest.raises(ValidationError):
        catch_all.full_clean()
    ApprovalRule.objects.filter(pk=catch_all.pk).delete()  # even gone behind the model's back
    assert policy_match(body=oracle_body(), project=project).approvals_needed == 1


def test_the_rule_is_copied_onto_the_submission(make_draft, project, demo_user, queue_only):
    submission = awaiting(make_draft, project, demo_user, approvals_needed=2,
                          expires_after_hours=24, remind_after_hours=4)
    ApprovalRule.objects.filter(catch_all=True).update(approvals_needed=0, name="edited")
    submission.refresh_from_db()
    assert submission.policy["name"] == "Everything else"
    assert (submission.approvals_needed, submission.policy["group"]) == (2, "ops")
    assert submission.policy["expires_after_hours"] == 24
    assert submission.expires_at - submission.created_at == pytest.approx(
        timedelta(hours=24), abs=timedelta(seconds=5))


def test_no_approval_needed_sends_as_before(make_draft, project, demo_user, queue_only,
                                            events):
    catch_all = approvals.catch_all_rule()
    catch_all.approvals_needed = 0
    catch_all.save()
    submission = submission_create(draft=make_draft(project), user=demo_user)
    assert submission.state == S.QUEUED and not events  # no "requested"


# --- every (state, action) pair -------------------------------------------------------------

# What each pair ends in; None: refused, the state unchanged. Written out, not read from the code.
EXPECTED = {
    ("awaiting_approval", "approve"): "approved",
    ("awaiting_approval", "reject"): "rejected",
    ("awaiting_approval", "withdraw"): "withdrawn",
    ("awaiting_approval", "expire"): "expired",
    ("awaiting_approval", "remind"): "awaiting_approval",
    ("approved", "withdraw"): "withdrawn",
    ("queued", "request"): "awaiting_approval",
}
STATES = [s.value for s in S]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", approvals.ACTIONS)
def test_every_state_and_action(make_draft, project, demo_user, approver, queue_only,
                                events, state, action):
    submission = awaiting(make_draft, project, demo_user)
    Submission.objects.filter(pk=submission.pk).update(
        state=state, active=state not in ("failed", "rejected", "withdrawn", "expired"))
    events.clear()
    actor = {"approve": approver, "reject": approver, "withdraw": demo_user}.get(action)
    expected = EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(ApplicationError):
            submission_transition(submission_id=submission.pk, action=action, actor=actor,
                                  comment="why")
        submission.refresh_from_db()
        assert submission.state == state and not events
        return
    submission_transition(submission_id=submission.pk, action=action, actor=actor,
                          comment="why")
    submission.refresh_from_db()
    assert submission.state == expected
    assert submission.active == (expected not in ("rejected", "withdrawn", "expired"))
    word = {"approve": "approved", "reject": "rejected", "withdraw": "withdrawn",
            "expire": "expired", "remind": "reminder", "request": "requested"}[action]
    assert [e[1] for e in events] == [word]


# --- four eyes ----------------------------------------------------------------------------


def test_a_superuser_cannot_approve_their_own_submission(make_draft, project,
                                                         django_user_model, queue_only):
    root = django_user_model.objects.create_superuser("root", password="root-pass-1")
    submission = awaiting(make_draft, project, root)
    with pytest.raises(ApplicationError, match="own submission"):
        submission_transition(submission_id=submission.pk, action="approve", actor=root)
    submission.refresh_from_db()
    assert submission.state == S.AWAITING and not submission.approvals.exists()


def test_one_person_counts_once(make_draft, project, demo_user, approver, ops_user,
                                queue_only):
    submission = awaiting(make_draft, project, demo_user, approvals_needed=2)
    submission_transition(submission_id=submission.pk, action="approve", actor=approver)
    with pytest.raises(ApplicationError, match="already"):  # a double click
        submission_transition(submission_id=submission.pk, action="approve", actor=approver)
    submission.refresh_from_db()
    assert submission.state == S.AWAITING and approvals.approvals_counted(submission) == 1
    with pytest.raises(IntegrityError), transaction.atomic():  # the database says so too
        Approval.objects.create(submission=submission, approver=approver, decision="approve",
                                digest=submission.content_digest)
    submission_transition(submission_id=submission.pk, action="approve", actor=ops_user)
    submission.refresh_from_db()
    assert submission.state == S.APPROVED


def test_approvers_decide_only_in_their_group_and_their_projects(
        make_draft, project, demo_user, approver, django_user_model, queue_only):
    dba = Group.objects.create(name="dba")
    dana = django_user_model.objects.create_user("dana", password="dana-pass-1")
    dana.groups.add(dba)
    submission = awaiting(make_draft, project, demo_user, approver_group=dba)
    with pytest.raises(ApplicationError, match="not granted"):
        submission_transition(submission_id=submission.pk, action="approve", actor=dana)
    with pytest.raises(ApplicationError, match="dba"):  # ops, but not in the rule's group
        submission_transition(submission_id=submission.pk, action="approve", actor=approver)
    project.groups.add(dba)
    submission_transition(submission_id=submission.pk, action="approve", actor=dana)
    submission.refresh_from_db()
    assert submission.state == S.APPROVED


def test_only_the_requester_withdraws_and_a_rejection_needs_a_comment(
        make_draft, project, demo_user, approver, queue_only):
    submission = awaiting(make_draft, project, demo_user)
    with pytest.raises(ApplicationError):
        submission_transition(submission_id=submission.pk, action="withdraw", actor=approver)
    with pytest.raises(ApplicationError, match="comment"):
        submission_transition(submission_id=submission.pk, action="reject", actor=approver)
    submission_transition(submission_id=submission.pk, action="reject", actor=approver,
                          comment="use the replica")
    submission.refresh_from_db()
    assert (submission.state, submission.active) == (S.REJECTED, False)
    assert submission.approvals.get().comment == "use the replica"


# --- the sender's check -------------------------------------------------------------------


def _change_secret(submission):
    draft = submission.draft
    secrets = draft.secrets()
    secrets[next(iter(secrets))] = "another-password"
    draft.set_secrets(secrets)
    draft.save()


def _change_draft_body(submission):
    draft = submission.draft
    draft.body["job"]["base_info"]["charging_mode"] = "period"
    draft.save()


def _change_sent_body(submission):
    row = SubmissionBody.objects.get(submission=submission)
    row.body["job"]["base_info"]["job_direction"] = "down"
    row.save()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", [_change_secret, _change_draft_body, _change_sent_body])
def test_a_change_after_approval_is_refused_at_send(sandbox, make_draft, demo_user, approver,
                                                   settings, events, change):
    settings.TASKS = DUMMY_TASKS
    submission = awaiting(make_draft, sandbox.project, demo_user)
    submission_transition(submission_id=submission.pk, action="approve", actor=approver)
    change(Submission.objects.select_related("draft").get(pk=submission.pk))
    submission_send.call(submission.pk)
    submission.refresh_from_db()
    assert (submission.state, submission.error_code) == (S.FAILED, "CHANGED")
    assert not submission.active  # the draft is free to be submitted again
    assert "nothing was sent" in submission.error_msg
    assert sandbox.jobs(name=submission.name) == []  # DRS got nothing
    assert all(a.void for a in submission.approvals.all())
    assert [e[1] for e in events] == ["requested", "approved", "failed"]


@pytest.mark.django_db(transaction=True)
def test_the_same_secrets_under_a_rotated_key_still_send(sandbox, make_draft, demo_user,
                                                         approver, events, settings):
    submission = awaiting(make_draft, sandbox.project, demo_user)
    before = submission.draft.secrets_encrypted
    settings.DRSUI_SECRET_KEYS = [Fernet.generate_key().decode(), *settings.DRSUI_SECRET_KEYS]
    call_command("drsui_rotate_keys", stdout=io.StringIO())  # new ciphertext, same passwords
    submission.draft.refresh_from_db()
    assert submission.draft.secrets_encrypted != before
    submission_transition(submission_id=submission.pk, action="approve", actor=approver,
                          comment="ok")
    submission.refresh_from_db()
    assert submission.state == S.CREATED
    [job] = sandbox.jobs(name=submission.name)
    assert submission.drs_job_id == job["id"]
    assert [e[1:] for e in events] == [("requested", demo_user, ""),
                                       ("approved", approver, "ok"), ("sent", None, "")]


def test_an_approval_of_changed_content_is_refused(make_draft, project, demo_user, approver,
                                                   queue_only):
    submission = awaiting(make_draft, project, demo_user)
    _change_secret(submission)
    with pytest.raises(ApplicationError, match="changed"):
        submission_transition(submission_id=submission.pk, action="approve", actor=approver)


def test_the_digest_holds_no_secret(make_draft, project, demo_user, queue_only):
    submission = awaiting(make_draft, project, demo_user)
    versions = [approvals.secret_version(v) for v in submission.draft.secrets().values()]
    assert all(len(v) == 64 for v in versions)
    import hashlib

    plain = {hashlib.sha256(v.encode()).hexdigest() for v in submission.draft.secrets().values()}
    assert not plain & set(versions)  # keyed: not a plain hash of a password
    assert c.MASK in str(submission.body)


# --- the clock ----------------------------------------------------------------------------


def test_a_reminder_once_then_expiry_with_a_moved_clock(make_draft, project, demo_user,
                                                        monkeypatch, queue_only, events):
    submission = awaiting(make_draft, project, demo_user, expires_after_hours=24,
                          remind_after_hours=4)
    start = timezone.now()

    def at(hours):
        monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=hours))
        submissions_refresh_due()

    at(3)
    assert [e[1] for e in events] == ["requested"]
    at(5)
    at(6)  # one reminder, not one a pass
    assert [e[1] for e in events] == ["requested", "reminder"]
    submission.refresh_from_db()
    assert submission.state == S.AWAITING and submission.reminded_at is not None
    at(25)
    submission.refresh_from_db()
    assert (submission.state, submission.active) == (S.EXPIRED, False)
    assert [e[1] for e in events] == ["requested", "reminder", "expired"]
    assert submission.audit.filter(action="expire").count() == 1


# --- the demo -----------------------------------------------------------------------------


@pytest.mark.parametrize(("needed", "words"), [
    (1, ["wait for approval by another person", "1 approval(s) from the ops group",
         "log in as admin / admin", "/approvals/", "Approve"]),
    (0, ["sent at once"]),
])
def test_the_demo_says_how_its_submissions_are_approved(ops_group, settings, needed, words):
    rule = approvals.catch_all_rule()
    rule.approvals_needed = needed
    rule.save()
    out = io.StringIO()
    call_command("drsui_demo", stdout=out)
    said = " ".join(out.getvalue().split())
    assert all(word in said for word in words), said


# --- the sender's pairs: (state, send) ------------------------------------------------------

# What the sender does to a submission that needs one approval, by its state when the queue's
# task comes: "created" (sent), "failed" (refused, nothing sent) or None (left as it is).
# Written out. Approved and unknown (after a look-up by name finds none) have their approval.
SENT = {"approved": "created", "unknown": "created", "queued": "failed"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("state", STATES)
def test_the_sender_sends_only_what_is_approved(sandbox, make_draft, demo_user, approver,
                                                settings, state):
    settings.TASKS = DUMMY_TASKS
    submission = awaiting(make_draft, sandbox.project, demo_user)
    Submission.objects.filter(pk=submission.pk).update(
        state=state, active=state not in ("failed", "rejected", "withdrawn", "expired"))
    if state in ("approved", "unknown"):
        Approval.objects.create(submission=submission, approver=approver, decision="approve",
                                digest=submission.content_digest)
    submission_send.call(submission.pk)
    submission.refresh_from_db()
    expected = SENT.get(state)
    assert submission.state == (expected or state)
    assert bool(sandbox.jobs(name=submission.name)) == (expected == "created")
    if expected == "failed":  # queued without its approval: never sent
        assert (submission.error_code, submission.active) == ("NOT_APPROVED", False)
        assert "nothing was sent" in submission.error_msg
