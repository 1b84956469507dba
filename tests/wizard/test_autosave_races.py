"""Saves that race each other lose nothing and make no conflict with the user's own tab: a new
task's key (a second click, a retried autosave, a reload) makes one draft; a save older only
by this tab's own saves is taken, another tab's is refused; a network source deleted meanwhile
does not lose the typing."""

import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from drsui.wizard.actions import SAVE
from drsui.wizard.forms import step_apply
from drsui.wizard.models import Draft
from drsui.wizard.services import draft_create, draft_rename, draft_save_step, draft_unsaved
from tests.wizard.wizard_client import step_url

pytestmark = pytest.mark.django_db

TAB, OTHER_TAB = "tab-" + "a" * 20, "tab-" + "b" * 20
NEW = reverse("draft_new")


def send(client, url, version, data, *, action="autosave", key=None, tab=TAB):
    payload = {"_action": action, "_version": str(version), "_present": list(data), **data}
    if key:
        payload["_new_key"] = key
    if tab:
        payload["_tab"] = tab
    return client.post(url, payload)


def page_key(page: str) -> str:
    return re.search(r'name="_new_key" value="([^"]+)"', page).group(1)


def new_task_key(client) -> str:
    return page_key(client.get(NEW).content.decode())


# --- 1. a new task's key ----------------------------------------------------------------------


def test_each_new_task_page_has_its_own_unguessable_key(client_in):
    first, second = new_task_key(client_in), new_task_key(client_in)
    assert first != second and len(first) >= 20
    assert not Draft.objects.exists()


def test_a_second_click_on_save_makes_no_second_draft(client_in, project):
    key = new_task_key(client_in)
    data = {"project_id": str(project.pk), "base_info.name": "clicked-twice"}
    first = send(client_in, NEW, 0, data, action="save", key=key)
    second = send(client_in, NEW, 0, data, action="save", key=key)  # the same page, again
    draft = Draft.objects.get()
    assert first.status_code == second.status_code == 302
    assert second.url == step_url(draft, "base") + "?saved=1"
    assert draft.name == "clicked-twice" and draft.version == 2


def test_a_retried_autosave_saves_into_the_draft_it_created(client_in, project):
    key = new_task_key(client_in)
    send(client_in, NEW, 0, {"base_info.name": "first-try"}, key=key)  # its answer was lost
    retried = send(client_in, NEW, 0, {"base_info.name": "typed-on"}, key=key)
    draft = Draft.objects.get()
    assert retried.status_code == 200
    assert retried.json()["url"] == step_url(draft, "base")
    assert retried.json()["version"] == draft.version == 2 and draft.name == "typed-on"


def test_the_new_task_s_address_opens_its_draft_once_saved(client_in, project):
    key = new_task_key(client_in)
    page = client_in.get(f"{NEW}?key={key}")  # reloaded before anything was saved
    assert page.status_code == 200 and page_key(page.content.decode()) == key
    send(client_in, NEW, 0, {"base_info.name": "left-by-pagehide"}, key=key)
    draft = Draft.objects.get()
    response = client_in.get(f"{NEW}?key={key}")  # reloaded after
    assert response.status_code == 302 and response.url == step_url(draft, "base")
    assert key not in client_in.get(response.url).content.decode()
    # an address not of this form gets a key of its own
    assert page_key(client_in.get(f"{NEW}?key=<bad>").content.decode()) != "<bad>"


def test_a_key_is_its_owner_s_only(client, client_in, django_user_model, demo_user, project):
    key = new_task_key(client_in)
    send(client_in, NEW, 0, {"base_info.name": "alices-task"}, key=key)
    bob = django_user_model.objects.create_user("bob", password="bob-pass-1")
    client.force_login(bob)
    page = client.get(f"{NEW}?key={key}")
    assert page.status_code == 200 and "alices-task" not in page.content.decode()
    send(client, NEW, 0, {"base_info.name": "bobs-task"}, key=key)
    assert Draft.objects.get(owner=demo_user).name == "alices-task"
    assert Draft.objects.get(owner=bob).name == "bobs-task"


def test_a_new_task_s_page_of_another_tab_still_gets_the_conflict(client_in, project):
    key = new_task_key(client_in)
    send(client_in, NEW, 0, {"base_info.name": "this-tab"}, key=key)
    response = send(client_in, NEW, 0, {"base_info.name": "other-tab"}, key=key, tab=OTHER_TAB)
    assert response.status_code == 409 and "changed elsewhere" in response.json()["error"]
    assert Draft.objects.get().name == "this-tab"


def test_two_saves_creating_one_task_at_once_make_one_draft(demo_user, project):
    """Both found no draft of the key (as two requests at the same moment do)."""
    pages = [draft_unsaved(owner=demo_user, project=project, new_key="k" * 22) for _ in "ab"]
    for page, name in zip(pages, ("first-request", "second-request"), strict=True):
        form = step_apply(step="base", job=page.job, secrets={}, action=SAVE,
                          data=QueryDict(f"_present=base_info.name&base_info.name={name}"))
        draft_save_step(draft=page, form=form, version=0, tab=TAB)
    draft = Draft.objects.get()
    assert pages[1].pk == draft.pk and draft.name == "second-request" and draft.version == 2


# --- 2. the same tab's saves ------------------------------------------------------------------


def test_a_save_older_only_by_this_tab_s_saves_is_taken(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    url = step_url(draft, "base")
    send(client_in, url, 1, {"base_info.name": "last-autosave"})  # pagehide's, version 2
    # the reload rendered version 1 before that autosave was stored; typing on:
    response = send(client_in, url, 1, {"base_info.name": "typed-after-reload"})
    assert response.status_code == 200 and response.json()["version"] == 3
    save = send(client_in, url, 1, {"base_info.name": "saved"}, action="save")
    assert save.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.version) == ("saved", 4)


def test_a_second_tab_still_gets_the_conflict(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    url = step_url(draft, "base")
    send(client_in, url, 1, {"base_info.name": "this-tab"})
    other = send(client_in, url, 1, {"base_info.name": "other-tab"}, tab=OTHER_TAB)
    assert other.status_code == 409 and "changed elsewhere" in other.json()["error"]
    no_tab = send(client_in, url, 1, {"base_info.name": "no-tab"}, tab="")
    assert no_tab.status_code == 409
    save = send(client_in, url, 1, {"base_info.name": "other-tab"}, action="save",
                tab=OTHER_TAB)
    assert "changed elsewhere" in save.content.decode()
    draft.refresh_from_db()
    assert draft.name == "this-tab"


def test_a_page_older_than_another_tab_s_save_is_refused_in_the_same_tab(
        client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    url = step_url(draft, "base")
    send(client_in, url, 1, {"base_info.name": "other-tab"}, tab=OTHER_TAB)  # version 2
    send(client_in, url, 2, {"base_info.name": "this-tab-reloaded"})  # version 3
    stale = send(client_in, url, 1, {"base_info.name": "this-tab-before"})  # opened at 1
    assert stale.status_code == 409
    draft_rename(draft=Draft.objects.get(), name="renamed")  # no tab's change: version 4
    assert send(client_in, url, 3, {"base_info.name": "this-tab"}).status_code == 409
    assert Draft.objects.get().name == "renamed"


# --- 3. a network source deleted meanwhile ----------------------------------------------------


def test_a_new_task_whose_network_source_was_deleted_keeps_its_typing(
        client_in, demo_user, project):
    source = draft_create(owner=demo_user, project=project)
    url = f"{NEW}?network_from={source.pk}"
    assert client_in.get(url).status_code == 200
    source.delete()  # in another tab
    assert client_in.get(url).status_code == 404
    response = send(client_in, url, 0, {"base_info.name": "typed-meanwhile"})
    assert response.status_code == 200 and response.json()["saved"] is True
    assert Draft.objects.get().name == "typed-meanwhile"
