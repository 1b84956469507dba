"""Who may use which cloud project (#15): a person sees and uses only the projects granted to
their teams (groups) — in the wizard's select and its posts, on a draft whose project is no
longer granted, in import, clone, export and prefill; ops use every project. Alice is in team
A (the demo team, granted "Sandbox"); "Team B" is another team's project."""

import html
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from drsui import contract as c
from drsui.roles import OPS_GROUP
from drsui.wizard.models import CloudProject, Draft
from drsui.wizard.services import draft_create, draft_from_body
from tests.contract.bodies import oracle_body
from tests.form_page import field_error, textarea_text
from tests.wizard.page_form import form_data
from tests.wizard.test_prefill import TARGET, a_draft, a_draft_with_network, shown_value
from tests.wizard.wizard_client import post, step_url

pytestmark = pytest.mark.django_db

NOT_GRANTED = ("This cloud project is not granted to your teams (or no longer is): choose one "
               "from the list.")
TO_CHOOSE = ("This task cannot be submitted until a cloud project granted to your teams is "
             "chosen on the Base info step.")
MISSING = "Choose the cloud project to create the task in."
NO_PROJECT = "No cloud project is granted to your teams; ask an administrator."


def a_project(name: str, team: Group | None, region="eu-west-101") -> CloudProject:
    project = CloudProject.objects.create(
        name=name, region=region, project_id=f"{abs(hash(name)) % 16**32:032x}",
        drs_endpoint="http://127.0.0.1:9/x", iam_endpoint="http://127.0.0.1:9/x",
        iam_user="u", iam_domain="d")
    if team:
        project.groups.add(team)
    return project


@pytest.fixture
def team_b_project(db):
    return a_project("Team B", Group.objects.create(name="team-b"))


@pytest.fixture
def ops(django_user_model):
    user = django_user_model.objects.create_user("olga", password="olga-pass-1")
    user.groups.add(Group.objects.get_or_create(name=OPS_GROUP)[0])
    return user


def project_options(page: str) -> dict[str, str]:
    """{value: label} of the Base info project select's options (the "Choose…" one aside)."""
    select = re.search(r'<select[^>]*id="f-project_id"[^>]*>(.*?)</select>', page, re.S)
    assert select, "no project select on the page"
    return {v: label for v, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<',
                                                  select[1])}


def project_error(page: str) -> str:
    shown = re.search(r'<div class="invalid-feedback" id="f-project_id-err">(.*?)</div>', page,
                      re.S)
    return html.unescape(shown[1].strip()) if shown else ""


def revoke(project):
    project.groups.clear()


# --- the Base info select and its posts -------------------------------------------------------
def test_the_select_lists_only_the_teams_projects(client_in, demo_user, project,
                                                  team_b_project):
    draft = draft_create(owner=demo_user, project=project)
    for url in (reverse("draft_new"), step_url(draft, "base")):
        page = client_in.get(url).content.decode()
        assert project_options(page) == {str(project.pk): str(project)}
        assert not project_error(page)


def test_ops_see_and_use_every_project(client, ops, project, team_b_project):
    client.force_login(ops)
    page = client.get(reverse("draft_new")).content.decode()
    assert set(project_options(page)) == {str(project.pk), str(team_b_project.pk)}
    draft = draft_create(owner=ops, project=project)
    response = post(client, draft, "base", {"project_id": str(team_b_project.pk)}, "save")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.project == team_b_project


@pytest.mark.parametrize("action", ["save", "next"])
def test_a_post_naming_another_teams_project_is_refused_on_the_field(
        client_in, demo_user, project, team_b_project, action):
    draft = draft_create(owner=demo_user, project=project)
    response = post(client_in, draft, "base", {"project_id": str(team_b_project.pk),
                                               "base_info.name": "DRS-typed-here"}, action)
    assert response.status_code == 200
    page = response.content.decode()
    assert project_error(page) == NOT_GRANTED
    assert "Team B" not in page  # another team's project is never named
    assert shown_value(page, "base_info.name") == "DRS-typed-here"  # what was typed is kept
    draft.refresh_from_db()
    assert draft.project == project  # not saved over
    assert draft.furthest_step == "base"  # Next did not advance


def test_a_draft_whose_project_was_revoked_says_so_and_keeps_everything(
        client_in, demo_user, project):
    draft = a_draft(demo_user, project, target_endpoint=[{"endpoint_type": "cloud"}])
    second = a_project("Second", Group.objects.get(name="demo-team"))
    revoke(project)

    page = client_in.get(step_url(draft, "base")).content.decode()
    assert project_error(page) == (
        f"This draft's cloud project, {project}, is not granted to your teams (or no longer "
        f"is): choose one from the list. Nothing else was changed.")
    assert project_options(page) == {str(second.pk): str(second)}
    assert form_data(page)["project_id"] == [""]  # "Choose…": none of theirs is chosen for them
    # Its region and project id prefill nothing any more.
    target = client_in.get(step_url(draft, "target")).content.decode()
    assert shown_value(target, f"{TARGET}.cloud.region") == ""
    review = client_in.get(step_url(draft, "review")).content.decode()
    assert TO_CHOOSE in review
    draft.refresh_from_db()
    assert draft.project == project  # nothing deleted or changed

    # Posting the page as shown ("Choose…") is refused; choosing one of theirs is not.
    refused = client_in.post(step_url(draft, "base"), {**form_data(page), "_action": "next"})
    assert project_error(refused.content.decode()) == MISSING
    chosen = post(client_in, draft, "base", {"project_id": str(second.pk)}, "save")
    assert chosen.status_code == 302
    draft.refresh_from_db()
    assert draft.project == second
    assert TO_CHOOSE not in client_in.get(step_url(draft, "review")).content.decode()
    page = client_in.get(step_url(draft, "target")).content.decode()
    assert shown_value(page, f"{TARGET}.cloud.region") == "eu-west-101"  # the new project's


def test_a_user_without_any_project_is_told_so(client, django_user_model, project):
    client.force_login(django_user_model.objects.create_user("newcomer", password="n-pass-12"))
    response = client.get(reverse("draft_new"))
    assert response.status_code == 200
    page = response.content.decode()
    assert NO_PROJECT in page and 'id="f-project_id"' in page
    assert 'name="project_id"' not in page  # no empty select
    assert str(project) not in page

    imports = client.get(reverse("draft_import")).content.decode()
    assert NO_PROJECT in imports
    pasted = json.dumps(oracle_body())
    refused = client.post(reverse("draft_import"), {"body": pasted, "project_id": ""})
    assert field_error(refused.content.decode(), "import-project_id") == NO_PROJECT
    assert json.loads(textarea_text(refused.content.decode(), "import-body")) == json.loads(pasted)
    assert not Draft.objects.exists()


def test_my_drafts_counts_a_revoked_project_as_a_problem_and_resumes_on_base_info(
        client_in, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    listing = client_in.get(reverse("draft_list")).content.decode()
    assert "complete, valid" in listing
    assert client_in.get(reverse("draft_resume", args=[draft.pk])).url == \
        step_url(draft, "review")

    a_project("Second", Group.objects.get(name="demo-team"))
    revoke(project)
    listing = client_in.get(reverse("draft_list")).content.decode()
    assert "complete, valid" not in listing and "1 to fix" in listing
    assert client_in.get(reverse("draft_resume", args=[draft.pk])).url == \
        step_url(draft, "base")


# --- a new task with the network of a draft whose project is no longer granted ----------------
def test_a_new_tasks_network_source_lends_no_project_not_granted(
        client_in, demo_user, project):
    last = a_draft_with_network(demo_user, project)
    second = a_project("Second", Group.objects.get(name="demo-team"))
    revoke(project)
    page = client_in.get(reverse("draft_new") + f"?network_from={last.pk}").content.decode()
    assert form_data(page)["project_id"] == [str(second.pk)]
    client_in.post(reverse("draft_new") + f"?network_from={last.pk}",
                   {**form_data(page), "_action": "save"})
    new = Draft.objects.latest("pk")
    assert new.pk != last.pk and new.project == second
    assert new.job["node_info"]["vpc"]["vpc_id"] == "vpc-last"


# --- import -------------------------------------------------------------------------------------
def test_import_offers_only_the_teams_projects(client_in, demo_user, project, team_b_project):
    page = client_in.get(reverse("draft_import")).content.decode()
    assert f'value="{project.pk}"' in page and f'value="{team_b_project.pk}"' not in page
    pasted = json.dumps(oracle_body())
    refused = client_in.post(reverse("draft_import"),
                             {"body": pasted, "project_id": str(team_b_project.pk)})
    page = refused.content.decode()
    assert field_error(page, "import-project_id") == "Choose a cloud project from the list."
    assert json.loads(textarea_text(page, "import-body")) == json.loads(pasted)
    assert not Draft.objects.exists()
    client_in.post(reverse("draft_import"), {"body": pasted, "project_id": str(project.pk)})
    assert Draft.objects.get().project == project


def test_ops_import_into_any_project(client, ops, team_b_project):
    client.force_login(ops)
    client.post(reverse("draft_import"),
                {"body": json.dumps(oracle_body()), "project_id": str(team_b_project.pk)})
    assert Draft.objects.get(owner=ops).project == team_b_project


# --- clone and export ---------------------------------------------------------------------------
def test_a_clone_keeps_a_granted_project(client_in, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    client_in.post(reverse("draft_clone", args=[draft.pk]))
    assert Draft.objects.latest("pk").project == project


def test_a_clone_of_a_draft_whose_project_was_revoked_asks_for_one(
        client_in, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    a_project("Second", Group.objects.get(name="demo-team"))
    revoke(project)
    response = client_in.post(reverse("draft_clone", args=[draft.pk]))
    clone = Draft.objects.latest("pk")
    assert clone.pk != draft.pk and clone.project is None
    assert response.url == step_url(clone, "base")  # it opens on Base info
    page = client_in.get(response.url).content.decode()
    assert project_error(page) == MISSING
    draft.refresh_from_db()
    assert draft.project == project  # the original is as it was


def test_the_export_reads_nothing_of_a_project_no_longer_granted(
        client_in, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    revoke(project)
    curl = client_in.get(reverse("draft_export", args=[draft.pk]) + "?format=curl")
    text = curl.content.decode()
    assert project.project_id not in text and "{project_id}" in text
    assert c.get_path(draft.job, "base_info.name") in text


# --- the admin ------------------------------------------------------------------------------------
def test_the_admin_grants_a_project_to_teams_and_shows_a_teams_projects(
        admin_client, project, team_b_project):
    team_b = Group.objects.get(name="team-b")
    url = reverse("admin:wizard_cloudproject_change", args=[project.pk])
    form = admin_client.get(url).content.decode()
    assert 'name="groups"' in form and "selectfilter" in form  # filter_horizontal
    data = {"name": project.name, "region": project.region, "project_id": project.project_id,
            "drs_endpoint": project.drs_endpoint, "iam_endpoint": project.iam_endpoint,
            "iam_user": project.iam_user, "iam_domain": project.iam_domain,
            "language": "en-us", "groups": [str(team_b.pk)]}
    assert admin_client.post(url, data).status_code == 302
    assert list(project.groups.all()) == [team_b]
    group_page = admin_client.get(reverse("admin:auth_group_change", args=[team_b.pk]))
    text = group_page.content.decode()
    assert "Sandbox</a>" in text and "Team B</a>" in text
    listing = admin_client.get(reverse("admin:wizard_cloudproject_changelist")).content.decode()
    assert "team-b" in listing
