"""Autosave over the test client: what is typed is saved without validating or advancing, the
answer carries the new version (and a new task's address), a stale tab is refused; and a new
task's draft is created by its first save, not by the "New task" button."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from drsui.wizard.models import Draft
from drsui.wizard.services import draft_create
from tests.wizard.wizard_client import post, step_url

pytestmark = pytest.mark.django_db

SOURCE = "source_endpoint.0"


def autosave(client, url, version, data, tz="UTC"):
    return client.post(url, {"_action": "autosave", "_version": str(version), "_tz": tz,
                             "_present": list(data), **data})


def test_an_autosave_saves_without_validating_or_advancing(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    response = autosave(client_in, step_url(draft, "base"), draft.version,
                        {"base_info.name": "1 bad name!"}, tz="Asia/Shanghai")
    assert response.status_code == 200
    answer = response.json()
    draft.refresh_from_db()
    assert draft.job["base_info"]["name"] == "1 bad name!"  # kept as typed, not refused
    assert draft.furthest_step == "base"
    assert answer["saved"] is True and answer["version"] == draft.version == 2
    assert answer["url"] == step_url(draft, "base")
    local = draft.updated_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert answer["saved_at"] == local.strftime("%H:%M")  # the person's time zone
    assert datetime.strptime(answer["saved_at"], "%H:%M")  # hh:mm, nothing else


def test_the_version_an_autosave_answers_lets_the_same_tab_save(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    url = step_url(draft, "base")
    first = autosave(client_in, url, draft.version, {"base_info.name": "typed-once"}).json()
    second = autosave(client_in, url, first["version"], {"base_info.name": "typed-twice"})
    assert second.status_code == 200 and second.json()["version"] == first["version"] + 1
    response = client_in.post(url, {"_action": "save", "_version": second.json()["version"],
                                    "_present": ["base_info.name"],
                                    "base_info.name": "saved-at-last"})
    assert response.status_code == 302 and response.url == url + "?saved=1"
    draft.refresh_from_db()
    assert draft.name == "saved-at-last"


def test_an_autosave_from_an_older_page_is_refused(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    opened_at = draft.version
    post(client_in, draft, "base", {"base_info.name": "other-tab"}, action="save")
    response = autosave(client_in, step_url(draft, "base"), opened_at,
                        {"base_info.name": "this-tab"})
    assert response.status_code == 409
    assert "changed elsewhere" in response.json()["error"]
    assert "version" not in response.json()  # the page keeps its own: Save shows the conflict
    draft.refresh_from_db()
    assert draft.name == "other-tab"


def test_an_autosave_with_nothing_changed_stores_nothing(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    post(client_in, draft, "base", {"base_info.name": "same"}, action="save")
    draft.refresh_from_db()
    response = autosave(client_in, step_url(draft, "base"), draft.version,
                        {"base_info.name": "same"})
    assert response.json()["saved"] is False
    assert response.json()["version"] == draft.version
    assert Draft.objects.get().version == draft.version


def test_an_autosave_keeps_a_blank_password_and_takes_no_file(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    draft.furthest_step = "source"
    draft.save()
    post(client_in, draft, "source", {f"{SOURCE}.endpoint_type": "offline",
                                      f"{SOURCE}.endpoint.db_password": "stored-Pw-1"},
         action="save")
    draft.refresh_from_db()
    cert = SimpleUploadedFile("ca.pem", b"-----BEGIN CERTIFICATE-----\nhalf")
    response = autosave(client_in, step_url(draft, "source"), draft.version, {
        f"{SOURCE}.endpoint_type": "offline", f"{SOURCE}.endpoint.db_user": "typed-user",
        f"{SOURCE}.endpoint.db_password": "", f"{SOURCE}.ssl.ssl_link": "on",
        f"{SOURCE}.ssl.ssl_cert_key": cert})
    assert response.status_code == 200 and response.json()["saved"] is True
    draft.refresh_from_db()
    assert draft.job["source_endpoint"][0]["endpoint"]["db_user"] == "typed-user"
    secrets = draft.secrets()
    assert secrets[f"{SOURCE}.endpoint.db_password"] == "stored-Pw-1"
    assert f"{SOURCE}.ssl.ssl_cert_key" not in secrets
    assert "ssl_cert_name" not in str(draft.body)


# --- a new task -------------------------------------------------------------------------------


def test_a_new_task_shows_base_info_and_stores_nothing(client_in, project):
    response = client_in.post(reverse("draft_new"), follow=True)  # the "New task" button
    page = response.content.decode()
    assert response.status_code == 200 and 'id="step-title">Base info<' in page
    assert f'action="{reverse("draft_new")}"' in page
    assert 'name="_version" value="0"' in page and "not saved yet" in page
    # typing (the JSON preview) and a deciding field's re-render store nothing either
    data = {"_version": "0", "_present": ["base_info.name"], "base_info.name": "just-looking"}
    assert client_in.post(reverse("draft_new"), {**data, "_action": "preview"}).status_code == 200
    rerender = client_in.post(reverse("draft_new"), {**data, "_action": "update"})
    assert 'value="just-looking"' in rerender.content.decode()
    assert not Draft.objects.exists()
    assert "just-looking" not in client_in.get(reverse("draft_list")).content.decode()


def test_a_new_task_s_first_autosave_creates_its_draft(client_in, project):
    response = autosave(client_in, reverse("draft_new"), 0, {
        "project_id": str(project.pk), "base_info.name": "typed-first"})
    draft = Draft.objects.get()
    assert response.json() | {"saved_at": ""} == {
        "saved": True, "version": 1, "url": step_url(draft, "base"), "saved_at": ""}
    assert (draft.name, draft.project, draft.furthest_step) == ("typed-first", project, "base")
    # the page carries on at the draft's address with the version it was given
    again = autosave(client_in, response.json()["url"], 1, {"base_info.name": "typed-next"})
    assert again.json()["version"] == 2 and Draft.objects.get().name == "typed-next"


def test_a_new_task_s_next_creates_the_draft_and_opens_its_next_step(client_in, project):
    response = client_in.post(reverse("draft_new"), {
        "_action": "next", "_version": "0", "_present": ["base_info.name"],
        "project_id": str(project.pk), "base_info.engine_type": "sync:mysql-to-mysql",
        "base_info.name": "orders-sync"})
    draft = Draft.objects.get()
    assert response.status_code == 302 and response.url == step_url(draft, "source")
    assert draft.name == "orders-sync" and draft.furthest_step == "source"


def test_a_new_task_refused_by_next_is_kept_and_shown_at_its_draft(client_in, project):
    response = client_in.post(reverse("draft_new"), {
        "_action": "next", "_version": "0", "_present": ["base_info.name"],
        "project_id": str(project.pk), "base_info.name": "1 bad name!"})
    draft = Draft.objects.get()
    page = response.content.decode()
    assert response.status_code == 200 and 'aria-invalid="true"' in page
    assert f'action="{step_url(draft, "base")}"' in page  # the next save is this draft's
    assert f'name="_version" value="{draft.version}"' in page
    assert draft.name == "1 bad name!" and draft.furthest_step == "base"
