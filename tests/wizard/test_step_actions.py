"""What a step's buttons do, over Django's test client: with htmx, and as plain form posts."""

import pytest
from django.urls import reverse

from drsui.jobs.models import Submission
from drsui.wizard.actions import StepAction
from drsui.wizard.models import Draft
from drsui.wizard.services import draft_create
from tests.wizard.wizard_client import post, step_url

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize("posted, verb, arg, unknown", [
    ("", "next", "", False),  # Enter in a field: the form's first button
    ("save", "save", "", False),
    ("goto:network", "goto", "network", False),
    ("remove:tags.2", "remove", "tags.2", False),
    ("drop:base_info.colour", "drop", "base_info.colour", False),
    ("explode", "save", "", True),
    ("next:now", "save", "", True),
    ("add:", "save", "", True),
    ("remove:tags", "save", "", True),
    ("remove:tags.²", "save", "", True),
])
def test_an_action_is_read_once_and_anything_else_is_a_save(posted, verb, arg, unknown):
    action = StepAction.parse({"_action": posted})
    assert (action.verb, action.arg, action.unknown) == (verb, arg, unknown)


def test_an_unknown_action_saves_what_was_typed_and_says_so(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    response = post(client_in, draft, "base", {"base_info.name": "kept-name"},
                    action="launch:missiles")
    assert response.status_code == 200
    page = response.content.decode()
    assert "sent by a button this page does not have" in page
    assert 'value="kept-name"' in page
    draft.refresh_from_db()
    assert draft.job["base_info"]["name"] == "kept-name" and draft.furthest_step == "base"


def test_a_step_link_opens_only_a_step_already_reached(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    Draft.objects.filter(pk=draft.pk).update(furthest_step="target")
    response = post(client_in, draft, "target", {}, action="goto:node")
    assert response.url == step_url(draft, "target") + "?saved=1"
    response = post(client_in, draft, "target", {}, action="goto:source")
    assert response.url == step_url(draft, "source")


def test_back_opens_the_step_before_without_advancing(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    Draft.objects.filter(pk=draft.pk).update(furthest_step="target")
    response = post(client_in, draft, "target", {}, action="back")
    assert response.status_code == 302 and response.url == step_url(draft, "source")
    draft.refresh_from_db()
    assert draft.furthest_step == "target"


def test_an_htmx_preview_of_a_submitted_draft_opens_the_submission(client_in, demo_user,
                                                                     project):
    """Another tab submitted the draft: the page goes there, the panel is not replaced."""
    draft = draft_create(owner=demo_user, project=project)
    submission = Submission.objects.create(draft=draft, user=demo_user, project=project,
                                           name=draft.name, state="created", active=True)
    data = {"_action": "preview", "_version": draft.version, "base_info.name": "x"}
    response = client_in.post(step_url(draft, "base"), data, headers=HTMX)
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == reverse("submission_detail", args=[submission.pk])
    plain = client_in.post(step_url(draft, "base"), data)
    assert plain.status_code == 302
    assert plain.url == reverse("submission_detail", args=[submission.pk])


def test_an_htmx_post_after_the_session_ended_opens_the_login_page(client, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    data = {"_action": "update", "_version": draft.version}
    response = client.post(step_url(draft, "source"), data, headers=HTMX)
    assert response.status_code == 200 and "Location" not in response
    assert response["HX-Redirect"].startswith(reverse("login") + "?next=")
    assert client.post(step_url(draft, "source"), data).status_code == 302  # without JS


def test_an_htmx_rerender_answers_with_the_form_not_a_redirect(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    response = client_in.post(step_url(draft, "base"), {
        "_action": "add:base_info.tags", "_version": draft.version}, headers=HTMX)
    assert response.status_code == 200 and "HX-Redirect" not in response
    page = response.content.decode()
    assert '<div id="step-form-body">' in page and "<html" not in page
    assert 'name="base_info.tags.0.key"' in page  # the row added
