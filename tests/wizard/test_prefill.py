"""Typing things once, over the test client: region and project id from the draft's cloud
project, the DRS node's VPC from the target's ("Same as target"), and a new task starting from
the network of the person's last draft."""

import html
import json
import re

import pytest
from django.urls import reverse

from drsui import contract as c
from drsui.wizard.models import CloudProject, Draft
from drsui.wizard.services import draft_create
from tests.wizard.page_form import form_data
from tests.wizard.wizard_client import post, step_url

pytestmark = pytest.mark.django_db

TARGET = "target_endpoint.0"
SOURCE = "source_endpoint.0"
TARGET_VPC = {"vpc_id": "vpc-target-1", "subnet_id": "subnet-target-1",
              "security_group_id": "sg-target-1"}


def a_draft(owner, project, *, job_type="sync", direction="up", **parts) -> Draft:
    """A MySQL draft every step of which can be opened, holding `parts` (job keys)."""
    draft = draft_create(owner=owner, project=project)
    job = draft.job
    job["base_info"].update(job_type=job_type, engine_type="mysql-to-mysql",
                            job_direction=direction)
    job.update(c.copy_json(parts))
    draft.body = {"job": job}
    draft.furthest_step = "review"
    draft.save()
    return draft


def shown_value(page: str, name: str) -> str | None:
    """The value of the input named `name` as the page shows it (None: no such input)."""
    values = form_data(page).get(name)
    return values[0] if values else None


def json_panel(page: str) -> dict:
    text = re.search(r'<pre id="json-body"[^>]*>(.*?)</pre>', page, re.S).group(1)
    return json.loads(html.unescape(re.sub(r"</?span[^>]*>", "", text)))  # the step's part


# --- region and project id ------------------------------------------------------------------
def test_a_cloud_target_shows_the_projects_region_and_project_id(client_in, demo_user, project):
    draft = a_draft(demo_user, project)  # into the cloud: the target is a cloud instance
    page = client_in.get(step_url(draft, "target")).content.decode()
    assert shown_value(page, f"{TARGET}.cloud.region") == "cn-north-4"
    assert shown_value(page, f"{TARGET}.cloud.project_id") == project.project_id
    assert json_panel(page)["job"]["target_endpoint"][0]["cloud"] == {
        "region": "cn-north-4", "project_id": project.project_id}
    # Posting the page as shown keeps them.
    client_in.post(step_url(draft, "target"), {**form_data(page), "_action": "save"})
    draft.refresh_from_db()
    assert c.get_path(draft.job, f"{TARGET}.cloud") == {
        "region": "cn-north-4", "project_id": project.project_id}


def test_a_typed_region_is_never_overwritten(client_in, demo_user, project):
    draft = a_draft(demo_user, project, target_endpoint=[
        {"endpoint_type": "cloud", "cloud": {"region": "ap-southeast-1"}}])
    page = client_in.get(step_url(draft, "target")).content.decode()
    assert shown_value(page, f"{TARGET}.cloud.region") == "ap-southeast-1"
    assert shown_value(page, f"{TARGET}.cloud.project_id") == project.project_id  # empty one

    typed = {**form_data(page), f"{TARGET}.cloud.project_id": "0" * 32, "_action": "save"}
    client_in.post(step_url(draft, "target"), typed)
    draft.refresh_from_db()
    assert c.get_path(draft.job, f"{TARGET}.cloud") == {
        "region": "ap-southeast-1", "project_id": "0" * 32}


def test_a_region_the_person_emptied_stays_empty_as_sent(client_in, demo_user, project):
    draft = a_draft(demo_user, project)
    page = client_in.get(step_url(draft, "target")).content.decode()
    sent = {**form_data(page), f"{TARGET}.cloud.region": "", "_action": "next"}
    response = client_in.post(step_url(draft, "target"), sent)
    page = response.content.decode()
    assert response.status_code == 200
    assert shown_value(page, f"{TARGET}.cloud.region") == ""
    assert re.search(r'<input[^>]*id="f-target_endpoint-0-cloud-region"[^>]*aria-invalid="true"',
                     page)  # with its error, on the field
    assert "region" not in json_panel(page)["job"]["target_endpoint"][0]["cloud"]


def test_choosing_ecs_prefills_the_region_and_project_id_it_asks_for(
        client_in, demo_user, project):
    draft = a_draft(demo_user, project, job_type="migration")
    page = client_in.get(step_url(draft, "source")).content.decode()
    assert shown_value(page, f"{SOURCE}.endpoint_type") == "offline"
    assert shown_value(page, f"{SOURCE}.cloud.region") == ""  # under More fields: not filled

    changed = {**form_data(page), f"{SOURCE}.endpoint_type": "ecs", "_action": "update"}
    page = client_in.post(step_url(draft, "source"), changed).content.decode()
    assert shown_value(page, f"{SOURCE}.cloud.region") == "cn-north-4"
    assert shown_value(page, f"{SOURCE}.cloud.project_id") == project.project_id
    draft.refresh_from_db()
    assert c.get_path(draft.job, f"{SOURCE}.cloud.region") == "cn-north-4"


def test_without_a_project_nothing_is_prefilled(client_in, demo_user, project):
    draft = a_draft(demo_user, project)
    Draft.objects.filter(pk=draft.pk).update(project=None)
    page = client_in.get(step_url(draft, "target")).content.decode()
    assert shown_value(page, f"{TARGET}.cloud.region") == ""


def test_the_region_follows_the_drafts_project(client_in, demo_user, demo_team, project):
    other = CloudProject.objects.create(
        name="Europe", region="eu-west-101", project_id="a" * 32,
        drs_endpoint="http://127.0.0.1:9/x", iam_endpoint="http://127.0.0.1:9/x")
    other.groups.add(demo_team)
    draft = a_draft(demo_user, other)
    page = client_in.get(step_url(draft, "target")).content.decode()
    assert shown_value(page, f"{TARGET}.cloud.region") == "eu-west-101"
    assert shown_value(page, f"{TARGET}.cloud.project_id") == "a" * 32


# --- "Same as target" -------------------------------------------------------------------------
def test_same_as_target_fills_the_node_vpc_from_the_targets(client_in, demo_user, project):
    draft = a_draft(demo_user, project, target_endpoint=[
        {"endpoint_type": "cloud", "vpc": TARGET_VPC}])
    page = client_in.get(step_url(draft, "network")).content.decode()
    assert re.search(r'<button[^>]*value="same_as_target"[^>]*>Same as target', page)
    assert not re.search(r'<button[^>]*value="same_as_target"[^>]*disabled', page)

    typed = {**form_data(page), "node_info.vpc.vpc_id": "vpc-typed",
             "node_info.vpc.subnet_id": "", "_action": "same_as_target"}
    response = client_in.post(step_url(draft, "network"), typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert {key: shown_value(page, f"node_info.vpc.{key}") for key in TARGET_VPC} == TARGET_VPC
    draft.refresh_from_db()
    assert draft.job["node_info"]["vpc"] == TARGET_VPC


def test_same_as_target_copies_only_what_the_target_holds(client_in, demo_user, project):
    draft = a_draft(demo_user, project, target_endpoint=[
        {"endpoint_type": "cloud", "vpc": {"vpc_id": "vpc-t", "subnet_id": "subnet-t"}}])
    page = client_in.get(step_url(draft, "network")).content.decode()
    typed = {**form_data(page), "node_info.vpc.security_group_id": "sg-typed",
             "_action": "same_as_target"}
    client_in.post(step_url(draft, "network"), typed)
    draft.refresh_from_db()
    assert draft.job["node_info"]["vpc"] == {
        "vpc_id": "vpc-t", "subnet_id": "subnet-t", "security_group_id": "sg-typed"}


def test_same_as_target_is_disabled_and_says_why_without_a_target_vpc(
        client_in, demo_user, project):
    draft = a_draft(demo_user, project, target_endpoint=[{"endpoint_type": "cloud"}])
    page = client_in.get(step_url(draft, "network")).content.decode()
    assert re.search(r'<button[^>]*value="same_as_target"[^>]*disabled', page)
    assert "The target endpoint has no VPC or subnet to copy" in page

    typed = {**form_data(page), "node_info.vpc.vpc_id": "vpc-typed",
             "_action": "same_as_target"}
    client_in.post(step_url(draft, "network"), typed)
    draft.refresh_from_db()
    assert draft.job["node_info"]["vpc"] == {"vpc_id": "vpc-typed"}


def test_same_as_target_is_offered_on_the_network_step_only(client_in, demo_user, project):
    draft = a_draft(demo_user, project, target_endpoint=[
        {"endpoint_type": "cloud", "vpc": TARGET_VPC}])
    page = client_in.get(step_url(draft, "node")).content.decode()
    assert "same_as_target" not in page
    post(client_in, draft, "node", {"node_info.spec.node_type": "micro"},
         action="same_as_target")
    draft.refresh_from_db()
    assert "vpc" not in draft.job.get("node_info", {})


# --- a new task with the network of the last draft ------------------------------------------
NETWORK = {"net_type": "eip"}
NODE_VPC = {"vpc_id": "vpc-last", "subnet_id": "subnet-last", "security_group_id": "sg-last",
            "custom_node_ip": "192.168.0.9"}
EIPS = [{"id": "eip-1", "public_ip": "100.1.1.1", "type": "master"}]


def a_draft_with_network(owner, project, name="Last-Network"):
    draft = a_draft(owner, project, node_info={"spec": {"node_type": "micro"}, "vpc": NODE_VPC},
                    public_ip_list=EIPS,
                    source_endpoint=[{"endpoint_type": "offline",
                                      "endpoint": {"ip": "10.0.0.1", "db_user": "root"}}])
    draft.job["base_info"].update(NETWORK, name=name)
    draft.body = {"job": draft.job}
    draft.name = name
    draft.set_secrets({f"{SOURCE}.endpoint.db_password": "s3cret-source-pw"})
    draft.save()
    return draft


def test_a_new_task_starts_from_the_network_of_the_last_draft(client_in, demo_user, demo_team,
                                                               project):
    other = CloudProject.objects.create(
        name="Europe", region="eu-west-101", project_id="a" * 32,
        drs_endpoint="http://127.0.0.1:9/x", iam_endpoint="http://127.0.0.1:9/x")
    other.groups.add(demo_team)
    last = a_draft_with_network(demo_user, other)
    a_draft(demo_user, project)  # newer, but with no network: passed over
    listing = client_in.get(reverse("draft_list")).content.decode()
    assert "New task with the network of Last-Network" in listing

    response = client_in.post(reverse("draft_new_with_network", args=[last.pk]))
    new_url = reverse("draft_new") + f"?network_from={last.pk}"
    assert response.url == new_url
    page = client_in.get(new_url).content.decode()
    assert "network settings of Last-Network were copied" in page
    assert "s3cret-source-pw" not in page
    assert Draft.objects.count() == 2  # stored at its first save, as any new task

    data = form_data(page)
    data["_action"] = ["save"]
    client_in.post(new_url, data)
    new = Draft.objects.latest("pk")
    assert new.pk != last.pk and new.project == other  # the VPC is that project's
    assert new.job["base_info"]["net_type"] == "eip"
    assert new.job["node_info"] == {"vpc": {  # not the fixed IP: it is one node's
        "vpc_id": "vpc-last", "subnet_id": "subnet-last", "security_group_id": "sg-last"}}
    assert "public_ip_list" not in new.job  # an EIP is bound to one node
    assert "source_endpoint" not in new.job and new.secrets() == {}
    assert new.name != last.name


def test_another_users_draft_is_never_used(client, django_user_model, demo_user, project):
    a_draft_with_network(demo_user, project, name="Alices-Network")
    bob = django_user_model.objects.create_user("bob", password="bob-pass-1")
    client.force_login(bob)
    listing = client.get(reverse("draft_list")).content.decode()
    assert "Alices-Network" not in listing and "New task with the network" not in listing

    alices = Draft.objects.get(owner=demo_user)
    response = client.post(reverse("draft_new_with_network", args=[alices.pk]))
    assert response.status_code == 404
    for source in (alices.pk, "abc", "0", "99999999999999999999999"):
        response = client.get(reverse("draft_new") + f"?network_from={source}")
        assert response.status_code == 404
    assert not Draft.objects.filter(owner=bob).exists()


def test_no_offer_without_a_draft_holding_network_settings(client_in, demo_user, project):
    draft_create(owner=demo_user, project=project)
    listing = client_in.get(reverse("draft_list")).content.decode()
    assert "New task with the network" not in listing
