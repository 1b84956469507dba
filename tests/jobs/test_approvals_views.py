"""Approval as people see it: the requester's page, the approver's queue, badge, review
summary and diff, the decision forms, the rejection on the draft's review, the dashboard's
filter and CSV, and the policy in the admin."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from drsui.jobs.models import ApprovalRule, Submission
from drsui.jobs.services import approvals
from tests.contract.bodies import SECRET_VALUES

pytestmark = [pytest.mark.django_db, pytest.mark.approval_policy]
S = Submission.State


@pytest.fixture(autouse=True)
def queue_only(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def approver(django_user_model, db):
    user = django_user_model.objects.create_user("oscar", password="oscar-pass-1")
    user.groups.add(Group.objects.get_or_create(name="ops")[0])
    return user


def submit(client, draft) -> Submission:
    response = client.post(reverse("draft_submit", args=[draft.pk]))
    assert response.status_code == 302, response.content[:500]
    return Submission.objects.get(draft=draft, active=True)


def test_the_requester_sees_awaiting_approval_and_nothing_is_sent(make_draft, project,
                                                                  demo_user):
    client = logged_in(demo_user)
    submission = submit(client, make_draft(project))
    assert submission.state == S.AWAITING and not submission.attempts.exists()
    page = client.get(reverse("submission_detail", args=[submission.pk])).text
    assert "Awaiting approval" in page and "0 of 1 approval from the ops group" in page
    assert 'id="withdraw-button"' in page and 'id="decide-form"' not in page
    assert "Nobody approves their own submission" not in page  # not an approver: not said


def test_the_approver_sees_the_badge_the_queue_the_summary_and_approves(
        make_draft, project, demo_user, approver):
    submission = submit(logged_in(demo_user), make_draft(project))
    client = logged_in(approver)
    dashboard = client.get(reverse("ops_dashboard")).text
    assert 'id="approvals-badge"' in dashboard and 'id="dashboard-approvals"' in dashboard
    assert reverse("submission_detail", args=[submission.pk]) in dashboard
    queue = client.get(reverse("approvals_queue"))
    assert [s.pk for s in queue.context["waiting"]] == [submission.pk]
    page = client.get(reverse("submission_detail", args=[submission.pk])).text
    assert 'id="decide-form"' in page and 'id="approval-review"' in page
    assert '<code class="api">node_type</code>' in page  # the review summary of the body
    assert not any(secret in page for secret in SECRET_VALUES)
    assert "The first submission of this draft." in page
    response = client.post(reverse("submission_decide", args=[submission.pk]),
                           {"decision": "approve", "comment": "looks right"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == S.APPROVED
    page = client.get(reverse("submission_detail", args=[submission.pk])).text
    assert "looks right" in page and "oscar" in page
    assert 'id="approvals-badge"' not in page  # nothing waits any more


def test_a_rejection_needs_a_comment_and_the_requester_reads_it_on_the_review(
        make_draft, project, demo_user, approver):
    requester = logged_in(demo_user)
    draft = make_draft(project)
    submission = submit(requester, draft)
    client = logged_in(approver)
    url = reverse("submission_decide", args=[submission.pk])
    response = client.post(url, {"decision": "reject", "comment": "  "})
    assert response.status_code == 400
    assert "Say why it is rejected" in response.text
    response = client.post(url, {"decision": "maybe", "comment": "kept as typed"})
    assert response.status_code == 400
    assert "Choose Approve or Reject." in response.text and "kept as typed" in response.text
    submission.refresh_from_db()
    assert submission.state == S.AWAITING
    client.post(url, {"decision": "reject", "comment": "use the read replica"})
    submission.refresh_from_db()
    assert (submission.state, submission.active) == (S.REJECTED, False)
    review = requester.get(reverse("draft_step", args=[draft.pk, "review"])).text
    assert 'id="rejection"' in review and "use the read replica" in review
    # Submitted again, the approver sees what changed since.
    draft.refresh_from_db()
    draft.body["job"]["node_info"]["spec"]["node_type"] = "high"
    draft.save()
    again = submit(requester, draft)
    assert 'id="rejection"' not in requester.get(
        reverse("draft_step", args=[draft.pk, "review"])).text
    page = client.get(reverse("submission_detail", args=[again.pk])).text
    assert f"Changes since submission #{submission.pk}" in page
    assert '<span class="text-danger">-        &quot;node_type&quot;: &quot;medium&quot;' in page
    assert '<span class="text-success">+        &quot;node_type&quot;: &quot;high&quot;' in page


def test_nobody_decides_their_own_superusers_included(make_draft, project,
                                                      django_user_model):
    root = django_user_model.objects.create_superuser("root", password="root-pass-1")
    client = logged_in(root)
    submission = submit(client, make_draft(project, owner=root))
    page = client.get(reverse("submission_detail", args=[submission.pk])).text
    assert 'id="decide-form"' not in page and "Nobody approves their own submission" in page
    response = client.post(reverse("submission_decide", args=[submission.pk]),
                           {"decision": "approve", "comment": ""})
    assert response.status_code == 400 and "Nobody approves their own" in response.text
    submission.refresh_from_db()
    assert submission.state == S.AWAITING


def test_others_neither_see_nor_decide(make_draft, project, demo_user, other_user):
    submission = submit(logged_in(demo_user), make_draft(project))
    client = logged_in(other_user)
    assert client.get(reverse("submission_detail", args=[submission.pk])).status_code == 404
    assert client.post(reverse("submission_decide", args=[submission.pk]),
                       {"decision": "approve"}).status_code == 404
    assert client.get(reverse("approvals_queue")).context["waiting"] == []
    submission.refresh_from_db()
    assert submission.state == S.AWAITING


def test_an_approver_group_sees_its_projects_only(make_draft, project, demo_user,
                                                  django_user_model):
    dba = Group.objects.create(name="dba")
    catch_all = approvals.catch_all_rule()
    catch_all.approver_group = dba
    catch_all.save()
    dana = django_user_model.objects.create_user("dana", password="dana-pass-1")
    dana.groups.add(dba)
    submission = submit(logged_in(demo_user), make_draft(project))
    client = logged_in(dana)
    assert client.get(reverse("approvals_queue")).context["waiting"] == []
    project.groups.add(dba)
    queue = client.get(reverse("approvals_queue"))
    assert [s.pk for s in queue.context["waiting"]] == [submission.pk]
    assert 'id="approvals-badge"' in queue.text
    client.post(reverse("submission_decide", args=[submission.pk]), {"decision": "approve"})
    submission.refresh_from_db()
    assert submission.state == S.APPROVED


def test_the_requester_withdraws(make_draft, project, demo_user):
    client = logged_in(demo_user)
    draft = make_draft(project)
    submission = submit(client, draft)
    client.post(reverse("submission_withdraw", args=[submission.pk]))
    submission.refresh_from_db()
    assert (submission.state, submission.active) == (S.WITHDRAWN, False)
    assert submit(client, draft).pk != submission.pk  # the draft is free again


def test_the_dashboard_filters_by_approval_state_and_the_csv_says_it(
        make_draft, project, demo_user, approver):
    requester = logged_in(demo_user)
    waiting = submit(requester, make_draft(project))
    rejected = submit(requester, make_draft(project))
    client = logged_in(approver)
    client.post(reverse("submission_decide", args=[rejected.pk]),
                {"decision": "reject", "comment": "no"})
    page = client.get(reverse("ops_dashboard"), {"status": "AWAITING_APPROVAL"})
    assert [r["pk"] for r in page.context["rows"]] == [waiting.pk]
    response = client.get(reverse("ops_dashboard_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["id"]: r["approval"] for r in rows} == {
        str(waiting.pk): "awaiting_approval", str(rejected.pk): "rejected"}


def test_the_catch_all_cannot_be_deleted_or_given_conditions_in_the_admin(
        django_user_model, project):
    root = django_user_model.objects.create_superuser("root", password="root-pass-1")
    client = logged_in(root)
    catch_all = approvals.catch_all_rule()
    url = reverse("admin:jobs_approvalrule_delete", args=[catch_all.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    change = client.get(reverse("admin:jobs_approvalrule_change", args=[catch_all.pk]))
    assert change.status_code == 200
    assert 'name="engine_type"' not in change.text and 'name="enabled"' not in change.text
    client.post(reverse("admin:jobs_approvalrule_changelist"),
                {"action": "delete_selected", "_selected_action": [catch_all.pk],
                 "post": "yes"})
    assert ApprovalRule.objects.filter(catch_all=True).exists()


def test_the_approval_is_said_in_chinese(make_draft, project, demo_user, approver):
    submission = submit(logged_in(demo_user), make_draft(project))
    client = logged_in(approver)
    with translation.override("en"):  # the request's Chinese stays in it
        page = client.get(reverse("submission_detail", args=[submission.pk]),
                          headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert "待审批" in page and "批准" in page and "驳回" in page and "审批意见" in page


def test_the_top_bar_counts_only_for_ops_and_approvers(make_draft, project, demo_user,
                                                       approver, other_user):
    submit(logged_in(demo_user), make_draft(project))

    def counts(user) -> tuple[str, list[str]]:
        client = logged_in(user)
        client.get(reverse("draft_list"))  # the session and the approver groups are warm
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("draft_list")).text
        return page, [q["sql"] for q in queries.captured_queries
                      if "COUNT" in q["sql"] and "awaiting_approval" in q["sql"]]

    page, count_queries = counts(other_user)
    assert count_queries == [] and 'id="approvals-badge"' not in page
    page, count_queries = counts(approver)
    assert len(count_queries) == 1 and 'id="approvals-badge"' in page


@pytest.mark.parametrize(("form", "said"), [
    ({}, "Choose Approve or Reject."),
    ({"decision": "approve\x00"}, "Choose Approve or Reject."),
    ({"decision": "withdraw", "comment": "kept"}, "Choose Approve or Reject."),
    ({"decision": "approve", "comment": "x" * 2001}, "at most 2000 characters"),
    ({"decision": "reject", "comment": "nul\x00byte"}, "Null characters are not allowed."),
    ({"decision": "reject"}, "Say why it is rejected"),
])
def test_bad_decisions_are_said_on_the_form_never_a_500(make_draft, project, demo_user,
                                                        approver, form, said):
    submission = submit(logged_in(demo_user), make_draft(project))
    response = logged_in(approver).post(reverse("submission_decide", args=[submission.pk]),
                                        form)
    assert response.status_code == 400 and said in response.text
    submission.refresh_from_db()
    assert submission.state == S.AWAITING and not submission.approvals.exists()


def test_deciding_twice_or_on_what_is_gone_is_refused_plainly(make_draft, project, demo_user,
                                                              approver, other_user):
    submission = submit(logged_in(demo_user), make_draft(project))
    client = logged_in(approver)
    url = reverse("submission_decide", args=[submission.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"decision": "approve"}).status_code == 302
    again = client.post(url, {"decision": "reject", "comment": "changed my mind"})
    assert again.status_code == 400 and "cannot be rejected" in again.text
    assert client.post(reverse("submission_decide", args=[10**9]),
                       {"decision": "approve"}).status_code == 404
    # Withdrawing is the requester's: another person is told so (they cannot see it at all).
    withdraw = reverse("submission_withdraw", args=[submission.pk])
    assert logged_in(other_user).post(withdraw).status_code == 404
    response = client.post(withdraw, follow=True)
    assert "Only the person who submitted it can withdraw it." in response.text
    submission.refresh_from_db()
    assert submission.state == S.APPROVED and submission.approvals.count() == 1
