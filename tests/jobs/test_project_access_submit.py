"""Who may use which cloud project (#15), at submit: a draft whose project is not granted to
the submitter's teams is refused (the draft kept, nothing sent to the sandbox); ops retry and
clone in any project; a clone of a submission keeps its project only if the user may use it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from drsui.errors import ApplicationError
from drsui.jobs.models import Submission
from drsui.jobs.services.submit import submission_create, submission_retry
from drsui.sandbox.faults import clear_faults, set_faults
from drsui.wizard.models import Draft

pytestmark = pytest.mark.django_db(transaction=True)

TO_CHOOSE = ("This task cannot be submitted until a cloud project granted to your teams is "
             "chosen on the Base info step.")


def submit(client, draft):
    return client.post(reverse("draft_step", args=[draft.pk, "review"]))


def test_a_submit_to_a_project_not_granted_is_refused_and_nothing_is_sent(
        client, sandbox, make_draft, demo_user):
    draft = make_draft(sandbox.project)
    sandbox.project.groups.clear()  # revoked since the draft was made
    client.force_login(demo_user)

    response = submit(client, draft)

    assert response.status_code == 200
    assert TO_CHOOSE in response.content.decode()
    assert not Submission.objects.exists()
    assert sandbox.jobs(name=draft.name) == []
    assert Draft.objects.get(pk=draft.pk).project == sandbox.project  # the draft is kept
    with pytest.raises(ApplicationError, match="cannot be submitted"):
        submission_create(draft=draft, user=demo_user)
    assert not Submission.objects.exists()


def test_a_submit_by_a_member_of_another_team_is_refused(
        sandbox, make_draft, django_user_model):
    outsider = django_user_model.objects.create_user("carol", password="carol-pass-1")
    outsider.groups.add(Group.objects.create(name="team-b"))
    draft = make_draft(sandbox.project, owner=outsider)  # no project of theirs: none kept
    draft.project = sandbox.project
    draft.save()
    with pytest.raises(ApplicationError, match="cannot be submitted"):
        submission_create(draft=draft, user=outsider)
    assert sandbox.jobs(name=draft.name) == []


def test_ops_retry_a_failed_submission_whose_project_the_owner_lost(
        sandbox, make_draft, demo_user, ops_user):
    set_faults(error_rate=1, scope="create")
    draft = make_draft(sandbox.project)
    failed = submission_create(draft=draft, user=demo_user)
    failed.refresh_from_db()
    assert failed.state == "failed"
    clear_faults()
    sandbox.project.groups.clear()

    retry = submission_retry(submission=failed, user=ops_user)  # ops use every project

    retry.refresh_from_db()
    assert retry.state == "created" and retry.user == demo_user
    assert len(sandbox.jobs(name=draft.name)) == 1


def test_a_clone_of_a_submission_keeps_its_project_only_for_those_who_may_use_it(
        client, sandbox, make_draft, demo_user, ops_user):
    submission = submission_create(draft=make_draft(sandbox.project), user=demo_user)
    clone_url = reverse("submission_clone", args=[submission.pk])
    client.force_login(demo_user)
    client.post(clone_url)
    assert Draft.objects.latest("pk").project == sandbox.project

    sandbox.project.groups.clear()
    response = client.post(clone_url)
    clone = Draft.objects.latest("pk")
    assert clone.project is None and clone.owner == demo_user
    assert response.url == reverse("draft_step", args=[clone.pk, "base"])

    client.force_login(ops_user)
    client.post(clone_url)
    assert Draft.objects.latest("pk").project == sandbox.project
