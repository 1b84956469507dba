"""Bad input to the wizard and My drafts: a clear message where it belongs, nothing typed lost,
never a 500 (issue #10, item 5). The test client raises any exception a view lets out."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from drsui import contract as c
from drsui.wizard.models import Draft
from drsui.wizard.services import draft_create, draft_from_body
from tests.contract.bodies import oracle_body
from tests.form_page import field_error, textarea_text
from tests.wizard.wizard_client import post, step_url

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "This held a NUL character (\\x00), which cannot be stored: it was removed."


def _page(response) -> str:
    return response.content.decode()


def _nested(levels: int, leaf="x") -> dict:
    node = leaf
    for _ in range(levels):
        node = {"zz": node}
    return node


# --- the cloud project id ---------------------------------------------------------------------
@pytest.mark.parametrize("project_id", ["abc", "1.5", "9" * 20, "-1", "0"])
def test_an_import_with_an_odd_project_id_says_so_and_keeps_the_body(client_in, project,
                                                                     project_id):
    pasted = json.dumps(oracle_body())
    response = client_in.post(reverse("draft_import"), {"body": pasted, "project_id": project_id})
    assert response.status_code == 200
    page = _page(response)
    assert field_error(page, "import-project_id") == "Choose a cloud project from the list."
    assert json.loads(textarea_text(page, "import-body")) == json.loads(pasted)  # shown back
    assert not Draft.objects.exists()


@pytest.mark.parametrize("project_id", ["abc", "9" * 20, ""])
def test_the_base_step_with_an_odd_project_id_names_the_field_and_keeps_the_values(
        client_in, demo_user, project, project_id):
    draft = draft_create(owner=demo_user, project=project)
    for action in ("next", "save"):
        response = post(client_in, draft, "base", {
            "project_id": project_id, "base_info.name": f"typed-{action}"}, action=action)
        assert response.status_code == 200
        page = _page(response)
        assert ('id="f-project_id-err">Choose the cloud project to create the task in.</div>'
                in page)
        assert f'value="typed-{action}"' in page
        draft.refresh_from_db()
        assert draft.project == project and draft.name == f"typed-{action}"


# --- a body that is not the step's form -------------------------------------------------------
@pytest.mark.parametrize("content_type", ["multipart/form-data; boundary=",
                                          "multipart/form-data"])
def test_a_multipart_body_with_a_broken_boundary_is_a_400_that_says_so(
        client_in, demo_user, project, content_type):
    draft = draft_create(owner=demo_user, project=project)
    for url in (step_url(draft, "base"), reverse("draft_import")):
        response = client_in.generic("POST", url, b"--xx\r\nbroken", content_type=content_type)
        assert response.status_code == 400
        assert "The request could not be read" in _page(response)
    assert Draft.objects.get().version == draft.version


def test_a_multipart_body_not_matching_its_boundary_saves_nothing_and_says_so(
        client_in, demo_user, project):
    """Read as an empty form: not a save from an older page ("changed elsewhere")."""
    draft = draft_create(owner=demo_user, project=project)
    body = b'--xx\r\nContent-Disposition: form-data; name="base_info.name"\r\n\r\nnew\r\n--xx--'
    response = client_in.generic("POST", step_url(draft, "base"), body,
                                 content_type="multipart/form-data; boundary=yy")
    assert response.status_code == 400
    page = _page(response)
    assert "The form arrived incomplete, so nothing was saved." in page
    assert f'value="{draft.name}"' in page
    assert Draft.objects.get().version == draft.version
    response = client_in.generic("POST", reverse("draft_import"), body,
                                 content_type="multipart/form-data; boundary=yy")
    assert response.status_code == 200 and "Paste a body or choose a file." in _page(response)


# --- NUL characters ---------------------------------------------------------------------------
@pytest.mark.parametrize("field,name,posted,stored", [
    ("base_info.name", "base_info.name", "orders\x00-sync", "orders-sync"),
    ("base_info.description", "base_info.description", "line\x00", "line"),
    ("base_info.tags", "base_info.tags.0.key", "team\x00", "team"),  # said on the rows' field
])
def test_a_nul_in_a_text_field_is_named_on_the_field_and_never_stored(
        client_in, demo_user, project, field, name, posted, stored):
    draft = draft_create(owner=demo_user, project=project)
    for action in ("next", "save"):
        draft.refresh_from_db()
        response = client_in.post(step_url(draft, "base"), {
            "_action": action, "_version": draft.version, "_present": ["project_id", field],
            "project_id": project.pk, name: posted})
        assert response.status_code == 200
        page = _page(response)
        assert NUL_MESSAGE in page
        field_id = "f-" + field.replace(".", "-")
        assert f'href="#{field_id}">' in page  # in the summary, linked to the field
        draft.refresh_from_db()
        assert "\x00" not in json.dumps(draft.body) and "\\u0000" not in json.dumps(draft.body)
        assert stored in json.dumps(draft.body)  # the rest of what was typed is kept
        assert draft.furthest_step == "base"


def test_a_nul_in_a_password_or_a_list_is_named_too(client_in, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    response = post(client_in, draft, "source", {
        "source_endpoint.0.endpoint.db_password": "pa\x00ss"}, action="save")
    assert response.status_code == 200 and NUL_MESSAGE in _page(response)
    draft.refresh_from_db()
    assert draft.secrets()["source_endpoint.0.endpoint.db_password"] == "pass"
    draft.refresh_from_db()
    response = client_in.post(step_url(draft, "node"), {
        "_action": "save", "_version": draft.version,
        "_present": ["node_info.base_info.instance_type", "node_info.base_info.availability_zone"],
        "node_info.base_info.instance_type": "single",
        "node_info.base_info.availability_zone.0": "cn-north-4a\x00"})
    assert response.status_code == 200 and NUL_MESSAGE in _page(response)
    draft.refresh_from_db()
    assert draft.job["node_info"]["base_info"]["availability_zone"] == "cn-north-4a"


@pytest.mark.parametrize("body,where", [
    ('{"job": {"base_info": {"name": "a\\u0000b"}}}',
     "the string at job.base_info.name holds a NUL character"),
    ('{"job": {"base_info": {"ta\\u0000gs": []}}}',
     "a key in job.base_info holds a NUL character"),
])
def test_an_import_holding_a_nul_is_refused_naming_where(client_in, project, body, where):
    response = client_in.post(reverse("draft_import"), {"body": body})
    assert response.status_code == 200
    page = _page(response)
    assert field_error(page, "import-body").startswith(
        f"Not valid JSON: {where} (\\u0000), which cannot be stored")
    assert textarea_text(page, "import-body") == body
    assert not Draft.objects.exists()


def test_a_nul_in_the_drafts_search_is_ignored(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    response = client_in.get(reverse("draft_list"), {"q": draft.name[:4] + "\x00",
                                                      "sort": "name\x00"})
    assert response.status_code == 200
    assert draft.name in _page(response)


# --- nesting ----------------------------------------------------------------------------------
def test_an_import_nested_too_deeply_is_refused(client_in, project):
    body = oracle_body()
    body["job"]["zz"] = _nested(600)
    response = client_in.post(reverse("draft_import"), {"body": json.dumps(body)})
    assert response.status_code == 200
    assert (f"Not valid JSON: nested too deeply under job.zz (more than {c.MAX_DEPTH} levels"
            in _page(response))
    assert not Draft.objects.exists()


def test_a_draft_stored_nested_too_deeply_still_opens_and_the_field_can_be_removed(
        client_in, demo_user, project):
    """Imported before imports refused it: every page answers, the review offers "Remove it"."""
    draft = draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    body = oracle_body()
    body["job"]["zz"] = _nested(600)
    Draft.objects.filter(pk=draft.pk).update(body=c.strip_secrets(body)[0])
    for step in ("base", "source", "target", "network", "billing", "node", "review"):
        assert client_in.get(step_url(draft, step)).status_code == 200
    export = reverse("draft_export", args=[draft.pk])
    for fmt in ("json", "curl", "terraform"):
        assert client_in.get(export, {"format": fmt}).status_code == 200
    assert client_in.get(reverse("draft_list")).status_code == 200
    review = _page(client_in.get(step_url(draft, "review")))
    assert 'value="drop:zz"' in review
    response = client_in.post(step_url(draft, "review"), {"_action": "drop:zz"}, follow=True)
    assert "Removed zz." in _page(response)
    draft.refresh_from_db()
    assert "zz" not in draft.job
    assert client_in.get(export, {"format": "terraform"}).content.startswith(b"variable")


# --- the certificate --------------------------------------------------------------------------
def test_a_certificate_over_256_kb_is_refused_on_save_as_on_next(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    draft.furthest_step = "source"
    draft.save()
    ssl = "source_endpoint.0.ssl"
    fields = {"source_endpoint.0.endpoint_type": "offline", f"{ssl}.ssl_link": "on",
              "source_endpoint.0.endpoint.db_user": "typed-user"}
    for action in ("save", "next"):
        big = SimpleUploadedFile("ca.pem", b"-" * (256 * 1024 + 1))
        response = post(client_in, draft, "source", {**fields, f"{ssl}.ssl_cert_key": big},
                        action=action)
        assert response.status_code == 200
        page = _page(response)
        assert "The certificate file is larger than 256 KB." in page
        assert 'role="status">Draft saved' not in page
        assert 'value="typed-user"' in page
        draft.refresh_from_db()
        assert f"{ssl}.ssl_cert_key" not in draft.secrets()
        assert draft.job["source_endpoint"][0]["endpoint"]["db_user"] == "typed-user"


# --- stored secrets no configured key opens ---------------------------------------------------
OTHER_KEY = "b3RoZXItZHJzdWkta2V5LW5vdC10aGUtb25lLXVzZWQ="


def test_secrets_no_key_opens_are_asked_for_again_by_name(client_in, demo_user, project,
                                                          settings):
    """DRSUI_SECRET_KEYS changed without rotating: every page answers and names what to type."""
    draft = draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    ciphertext = draft.secrets_encrypted
    own_keys = settings.DRSUI_SECRET_KEYS
    settings.DRSUI_SECRET_KEYS = [OTHER_KEY]
    listing = _page(client_in.get(reverse("draft_list")))
    assert "passwords to type again" in listing
    retype = ("type them again: Source endpoint: Password, Target endpoint: Password.")
    for step in ("base", "source", "review"):
        response = client_in.get(step_url(draft, step))
        assert response.status_code == 200
        page = _page(response)
        assert "can no longer be read (the portal's secret keys changed)" in page
        assert retype in page
        assert ciphertext[:20] not in page
    assert client_in.get(reverse("draft_export", args=[draft.pk]), {"format": "json"}
                         ).status_code == 200
    # Saving without typing one keeps them: set the keys right again and they are back.
    assert post(client_in, draft, "base", {"base_info.description": "kept"},
                action="save").status_code == 302
    settings.DRSUI_SECRET_KEYS = own_keys
    draft.refresh_from_db()
    assert draft.secrets_encrypted == ciphertext and not draft.secrets_unreadable
    # Typed again under the new key: stored under it, and the other one is then asked for.
    settings.DRSUI_SECRET_KEYS = [OTHER_KEY]
    post(client_in, draft, "source", {"source_endpoint.0.endpoint.db_password": "typed-again"},
         action="save")
    draft.refresh_from_db()
    assert draft.secrets() == {"source_endpoint.0.endpoint.db_password": "typed-again"}
    page = _page(client_in.get(step_url(draft, "target")))
    assert "can no longer be read" not in page
    assert 'id="f-target_endpoint-0-endpoint-db_password"' in page
    assert 'aria-invalid="true"' in page


def test_rotating_keys_leaves_what_no_key_opens_and_names_it(demo_user, project, settings):
    from io import StringIO

    from django.core.management import call_command

    readable = draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    lost = draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    Draft.objects.filter(pk=lost.pk).update(secrets_encrypted="gAAAAABnot-a-token")
    out = StringIO()
    call_command("drsui_rotate_keys", stdout=out)
    assert f"no configured key opens them (1): draft {lost.pk}." in out.getvalue()
    readable.refresh_from_db()
    assert readable.secrets() and not readable.secrets_unreadable
