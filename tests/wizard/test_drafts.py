"""My drafts: list, resume, rename, delete, clone, import, export, and key rotation."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from drsui import contract as c
from drsui.audit.models import AuditEvent
from drsui.jobs.models import Submission
from drsui.wizard.models import Draft
from drsui.wizard.services import draft_clone, draft_create, draft_from_body
from tests.contract.bodies import SECRET_VALUES, full_body, oracle_body
from tests.form_page import field_error, textarea_text
from tests.wizard.terraform_reader import assert_terraform_export

pytestmark = pytest.mark.django_db


def imported(user, project, body=None) -> Draft:
    return draft_from_body(owner=user, body=body or oracle_body(), project=project)


def test_the_list_shows_only_my_drafts_searchable_sorted_and_paginated(
        client_in, demo_user, django_user_model, project):
    other = django_user_model.objects.create_user("bob", password="bob-pass-123")
    draft_create(owner=other, project=project)
    for n in range(23):
        d = draft_create(owner=demo_user, project=project)
        Draft.objects.filter(pk=d.pk).update(name=f"task-{n:02d}")
    page1 = client_in.get(reverse("draft_list") + "?sort=name").content.decode()
    assert "task-00" in page1 and "task-19" in page1 and "task-20" not in page1
    assert "1 / 2" in page1
    page2 = client_in.get(reverse("draft_list") + "?sort=name&page=2").content.decode()
    assert "task-22" in page2 and "task-00" not in page2
    found = client_in.get(reverse("draft_list") + "?q=TASK-07").content.decode()
    assert "task-07" in found and "task-08" not in found
    assert len(re.findall(r'href="/drafts/\d+/"', page1)) == 20


def test_resume_opens_the_first_step_that_needs_attention(client_in, demo_user, project):
    body = oracle_body()
    body["job"]["target_endpoint"][0]["endpoint"]["instance_id"] = ""
    draft = imported(demo_user, project, body)
    response = client_in.get(reverse("draft_resume", args=[draft.pk]))
    assert response.url == reverse("draft_step", args=[draft.pk, "target"])
    page = client_in.get(response.url).content.decode()
    assert 'id="f-target_endpoint-0-endpoint-instance_id"' in page
    assert 'aria-invalid="true"' in page


def test_rename_checks_the_name_rule(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    response = client_in.post(reverse("draft_rename", args=[draft.pk]), {"name": "orders-nightly"},
                              follow=True)
    assert "Renamed to orders-nightly." in response.content.decode()
    draft.refresh_from_db()
    assert draft.name == "orders-nightly" and draft.job["base_info"]["name"] == "orders-nightly"
    response = client_in.post(reverse("draft_rename", args=[draft.pk]), {"name": "9 bad"})
    assert response.status_code == 200
    page = response.content.decode()
    problem = [v.message for v in c.validate({"job": {"base_info": {"name": "9 bad"}}})
               if v.path == "base_info.name"][0]
    assert field_error(page, f"rename-{draft.pk}-name") == problem
    assert 'value="9 bad"' in page  # what was typed, kept
    draft.refresh_from_db()
    assert draft.name == "orders-nightly"


def test_each_draft_links_to_its_rename_which_holds_its_name(client_in, demo_user, project):
    drafts = [draft_create(owner=demo_user, project=project) for _ in range(2)]
    listing = client_in.get(reverse("draft_list")).content.decode()
    for draft in drafts:
        url = reverse("draft_rename", args=[draft.pk])
        assert f'href="{url}">Rename</a>' in listing
        page = client_in.get(url).content.decode()
        assert re.search(rf'<form[^>]*action="{url}"', page)
        assert re.search(rf'<input[^>]*value="{draft.name}"[^>]*id="rename-{draft.pk}-name"',
                         page)


def test_delete_asks_first_then_deletes(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    page = client_in.get(reverse("draft_delete", args=[draft.pk])).content.decode()
    assert "cannot be undone" in page and Draft.objects.filter(pk=draft.pk).exists()
    client_in.post(reverse("draft_delete", args=[draft.pk]))
    assert not Draft.objects.filter(pk=draft.pk).exists()


def test_deleting_an_unnamed_draft_says_so(client_in, demo_user, project):
    draft = imported(demo_user, project, {"job": {}})
    response = client_in.post(reverse("draft_delete", args=[draft.pk]), follow=True)
    assert "Deleted the unnamed draft." in response.content.decode()
    assert not Draft.objects.exists()


@pytest.mark.parametrize("sort,expected", [
    ("name", ["apple-1", "Banana-2", "cherry-3", "Cherry-4"]),
    ("-name", ["Cherry-4", "cherry-3", "Banana-2", "apple-1"]),
])
def test_sorting_by_name_ignores_case(client_in, demo_user, project, sort, expected):
    for name in ("Cherry-4", "apple-1", "cherry-3", "Banana-2"):
        draft = draft_create(owner=demo_user, project=project)
        Draft.objects.filter(pk=draft.pk).update(name=name)
    page = client_in.get(reverse("draft_list") + f"?sort={sort}").content.decode()
    assert re.findall(r'href="/drafts/\d+/">([^<]+)</a>', page) == expected


@pytest.mark.parametrize("state,active", [("created", True), ("failed", False)])
def test_a_submitted_draft_offers_no_delete(client_in, demo_user, project, state, active):
    kept = imported(demo_user, project)
    Submission.objects.create(draft=kept, user=demo_user, project=project, name=kept.name,
                              state=state, active=active)
    free = draft_create(owner=demo_user, project=project)
    page = client_in.get(reverse("draft_list")).content.decode()
    assert reverse("draft_delete", args=[free.pk]) in page
    assert reverse("draft_delete", args=[kept.pk]) not in page


@pytest.mark.parametrize("name,method", [
    ("draft_resume", "get"), ("draft_rename", "post"), ("draft_delete", "get"),
    ("draft_delete", "post"), ("draft_clone", "post"), ("draft_export", "get")])
def test_other_peoples_drafts_are_404(client_in, django_user_model, project, name, method):
    other = django_user_model.objects.create_user("bob", password="bob-pass-123")
    draft = draft_create(owner=other, project=project)
    response = getattr(client_in, method)(reverse(name, args=[draft.pk]))
    assert response.status_code == 404
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_a_clone_keeps_the_task_but_not_passwords_or_certificates(client_in, demo_user, project):
    body = full_body()
    del body["job"]["base_info"]["start_time"]  # passed: the clone would open on Base info
    original = imported(demo_user, project, body)
    assert original.secrets()
    response = client_in.post(reverse("draft_clone", args=[original.pk]))
    clone = Draft.objects.exclude(pk=original.pk).get()
    assert clone.secrets() == {}
    assert clone.name != original.name and clone.name.startswith("drs-task-1-")
    assert c.strip_secrets(clone.body)[0]["job"]["source_endpoint"] == \
        c.strip_secrets(original.body)[0]["job"]["source_endpoint"]
    page = client_in.get(response.url, follow=True).content.decode()
    assert "Not set." in page


def test_import_stores_passwords_encrypted_and_reports_problems_per_step(
        client_in, demo_user, project):
    body = oracle_body()
    body["job"]["source_endpoint"][0]["endpoint"]["db_port"] = "99999"
    response = client_in.post(reverse("draft_import"), {
        "project_id": project.pk, "body": json.dumps(body)}, follow=True)
    draft = Draft.objects.get()
    assert "s3cret-1" not in json.dumps(draft.body) and "s3cret-1" not in draft.secrets_encrypted
    assert "s3cret-1" in draft.secrets().values()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("draft_step", args=[draft.pk, "source"])
    assert "Imported with 1 problem to fix: it is shown on its step." in page
    assert re.search(r'id="f-source_endpoint-0-endpoint-db_port"[^>]*aria-invalid="true"', page)


@pytest.mark.parametrize("payload,field,message", [
    ({"body": "{not json"}, "body", "Not valid JSON"),
    ({"body": "[1, 2]"}, "body", "The body must be a JSON object"),
    ({"body": '{"job": 3}'}, "body", "The body must be a JSON object"),
    ({"body": '{"job": {"period_order": {"period_num": NaN}}}'}, "body",
     "Not valid JSON: NaN is not allowed in JSON"),
    ({"file": SimpleUploadedFile("inf.json", b'{"job": {"x": -Infinity}}')}, "file",
     "Not valid JSON: -Infinity is not allowed in JSON"),
    ({"body": '{"job": {"x": 1e400}}'}, "body", "Not valid JSON: the number 1e400 is too large"),
    ({"body": '{"job": {"base_info": {"description": "\\ud800"}}}'}, "body",
     "Not valid JSON: the string at job.base_info.description is not valid Unicode text"),
    ({"file": SimpleUploadedFile("key.json", b'{"job": {"tags": [{"\\udfff": 1}]}}')}, "file",
     "Not valid JSON: a key in job.tags.0 is not valid Unicode text"),
    ({"file": SimpleUploadedFile("latin1.json", '{"job": {"x": "é"}}'.encode("latin-1"))},
     "file", "The file is not UTF-8 text."),
    ({"body": ""}, "body", "Paste a body or choose a file"),
    ({"file": SimpleUploadedFile("big.json", b" " * (1024 * 1024 + 1))}, "file",
     "The file is larger than 1 MB"),
])
def test_import_refuses_what_is_not_a_body_and_creates_nothing(client_in, project, payload,
                                                               field, message):
    response = client_in.post(reverse("draft_import"), payload)
    assert response.status_code == 200
    page = response.content.decode()
    assert field_error(page, f"import-{field}").startswith(message)
    other = "file" if field == "body" else "body"
    assert field_error(page, f"import-{other}") == ""
    assert not Draft.objects.exists()


def test_export_never_shows_secrets_and_round_trips(client_in, demo_user, project):
    draft = imported(demo_user, project, full_body())
    url = reverse("draft_export", args=[draft.pk])
    page = client_in.get(url).content.decode()
    exported = {fmt: client_in.get(url + f"?format={fmt}").content.decode()
                for fmt in ("json", "curl", "terraform")}
    for text in (page, *exported.values()):
        for secret in SECRET_VALUES:
            assert secret not in text
    assert '"X-Auth-Token: $DRS_TOKEN"' in exported["curl"]
    assert "https://drs.cn-north-4.myhuaweicloud.com/v5/054ba152d480d55b2f5dc0069e7ddef0/jobs" \
        in exported["curl"]
    assert 'resource "huaweicloud_drs_job_v5"' in exported["terraform"]
    assert "db_password   = var.source_endpoint_db_password" in exported["terraform"]
    assert 'variable "source_endpoint_db_password"' in exported["terraform"]
    assert_terraform_export(exported["terraform"], json.loads(exported["json"]),
                            region="cn-north-4")

    client_in.post(reverse("draft_import"), {"project_id": project.pk,
                                             "body": exported["json"]})
    again = Draft.objects.exclude(pk=draft.pk).get()
    assert again.body == draft.body
    assert again.secrets() == {}  # ****** is "not set"


@pytest.mark.parametrize("name,filename", [
    ("line\nbreak", 'filename="line_break.{}"'),
    ("données-é", "filename*=utf-8''donn%C3%A9es-%C3%A9.{}"),
    ("\t\r", 'filename="task.{}"'),
])
def test_export_downloads_are_named_after_the_draft(client_in, demo_user, project, name,
                                                    filename):
    body = oracle_body()
    body["job"]["base_info"]["name"] = name
    draft = imported(demo_user, project, body)
    url = reverse("draft_export", args=[draft.pk])
    for fmt, ext in (("json", "json"), ("curl", "sh"), ("terraform", "tf")):
        response = client_in.get(url + f"?format={fmt}")
        assert response.status_code == 200
        assert response["Content-Disposition"] == f"attachment; {filename.format(ext)}"
        if fmt == "terraform":
            assert_terraform_export(response.content.decode(), body)


def test_rotating_the_key_keeps_drafts_readable(demo_user, project, settings):
    old = settings.DRSUI_SECRET_KEYS[0]
    draft = imported(demo_user, project)
    secrets = draft.secrets()
    project.access_key = "HPUAROTATEDACCESSKEY"
    project.set_secret_key("rotated-secret-key")
    project.save()
    new = "bmV3LWRyc3VpLWtleS1mb3ItdGhlLXJvdGF0aW9uLTE="
    settings.DRSUI_SECRET_KEYS = [new, old]
    call_command("drsui_rotate_keys")
    settings.DRSUI_SECRET_KEYS = [new]
    draft.refresh_from_db()
    project.refresh_from_db()
    assert draft.secrets() == secrets
    assert project.iam_password() == "sandbox"
    assert project.secret_key() == "rotated-secret-key"


def test_terraform_takes_each_shards_password_from_its_own_variable(client_in, demo_user,
                                                                    project):
    body = full_body()
    shards = body["job"]["source_endpoint"][0]["endpoint"]["source_sharding"]
    shards.append({**shards[0], "ip": "10.0.0.12", "db_password": "shard-secret-2"})
    shards.append({"odd key": None, "ip": "10.0.0.13"})  # an import may hold anything
    draft = imported(demo_user, project, body)
    terraform = client_in.get(reverse("draft_export", args=[draft.pk]) + "?format=terraform")
    text = terraform.content.decode()
    assert "source_sharding = jsonencode([" in text  # the provider takes a JSON string
    for i, ip in enumerate(("10.0.0.11", "10.0.0.12")):
        assert (f'ip = "{ip}", db_port = "3306", db_user = "root", '
                f"db_password = var.source_endpoint_source_sharding_{i}_db_password }}") in text
        assert f'variable "source_endpoint_source_sharding_{i}_db_password"' in text
    assert '{ "odd key" = null, ip = "10.0.0.13", endpoint_name = "mysql" },' in text
    assert "******" not in text and "shard-secret" not in text
    as_json = client_in.get(reverse("draft_export", args=[draft.pk]) + "?format=json")
    assert_terraform_export(text, json.loads(as_json.content))


def test_the_progress_bar_marks_a_passed_step_that_needs_attention(client_in, demo_user,
                                                                   project):
    draft = draft_clone(owner=demo_user, body=oracle_body(), project=project)  # no passwords
    page = client_in.get(reverse("draft_step", args=[draft.pk, "network"])).content.decode()
    steps = dict(re.findall(r'value="goto:(\w+)">\d (?:[\w ]+?)( ✓| <span class="text-danger")',
                            page))
    assert steps == {"base": " ✓", "source": ' <span class="text-danger"',
                     "target": ' <span class="text-danger"', "billing": " ✓", "node": " ✓"}
    assert page.count("(needs attention)") == 2


def test_import_names_what_it_left_out_and_the_audit_tells_import_clone_rename_apart(
        client_in, demo_user, project):
    body = {**oracle_body(), "jobs": {"typo": True}}
    response = client_in.post(reverse("draft_import"), {
        "project_id": project.pk, "body": json.dumps(body)}, follow=True)
    assert "Left out, as the API takes only &quot;job&quot; at the top level: jobs." in \
        response.content.decode()
    draft = Draft.objects.get()
    client_in.post(reverse("draft_clone", args=[draft.pk]))
    client_in.post(reverse("draft_rename", args=[draft.pk]), {"name": "renamed-task"})
    details = {e.action: e.detail for e in AuditEvent.objects.filter(draft_id=draft.pk)}
    assert details["draft_create"].endswith("(imported)")
    assert details["draft_rename"] == f"{oracle_body()['job']['base_info']['name']} → renamed-task"
    clone = Draft.objects.exclude(pk=draft.pk).get()
    [created] = AuditEvent.objects.filter(draft_id=clone.pk)
    assert created.detail.endswith(f"(a copy of draft {draft.pk})")


def test_a_paste_refused_as_too_large_is_shown_back_whole(client_in, project):
    text = '{"job": {"base_info": {"description": "' + "x" * (1024 * 1024) + '"}}}'
    page = client_in.post(reverse("draft_import"), {"project_id": project.pk, "body": text})
    assert field_error(page.content.decode(), "import-body").startswith(
        "The pasted text is larger than 1 MB")
    assert textarea_text(page.content.decode(), "import-body") == text
    assert not Draft.objects.exists()


def test_a_missing_page_has_the_navigation(client_in):
    page = client_in.get("/drafts/999999/base/")
    assert page.status_code == 404
    assert "Back to my drafts" in page.content.decode() and "My drafts" in page.content.decode()
