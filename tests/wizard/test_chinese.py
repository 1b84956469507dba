"""The wizard in Simplified Chinese: a browser asking for zh-CN gets the steps, labels, help,
errors and notes in Chinese, exports with Chinese comments around the same body, and English
stays as it was for everyone else in the same process."""

import html
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from drsui import contract as c
from drsui.wizard import fields as table
from drsui.wizard.export import export_curl, export_terraform
from drsui.wizard.forms import GROUP_TITLES
from drsui.wizard.services import draft_clone, draft_create, draft_from_body
from drsui.wizard.steps import STEPS
from tests.contract.bodies import VALID_BODIES, example_body, full_body
from tests.wizard.page_form import form_data
from tests.wizard.wizard_client import step_url

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")  # ideographs, punctuation


@pytest.fixture
def client_zh(client_in):
    client_in.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-CN,zh;q=0.9"
    return client_in


def _label(page: str, html_id: str) -> str:
    found = re.search(rf'<label[^>]*for="{html_id}"[^>]*>([^<]*)<', page)
    return html.unescape(found[1]).strip() if found else ""


def _options(page: str, html_id: str) -> dict[str, str]:
    select = re.search(rf'<select[^>]*id="{html_id}".*?</select>', page, re.S)[0]
    return {value: html.unescape(text).strip()
            for value, text in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', select)}


def _note(page: str) -> str:
    found = re.search(r'id="removed-note">([^<]*)<', page)
    return html.unescape(found[1]) if found else ""


def _post(client, draft, step, data, action):
    draft.refresh_from_db()
    return client.post(step_url(draft, step), {
        "_action": action, "_version": str(draft.version), "_present": list(data), **data})


def test_a_step_asked_for_in_chinese_has_chinese_labels_help_and_step_titles(
        client_zh, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    page = client_zh.get(step_url(draft, "base")).content.decode()
    assert _label(page, "f-base_info-name") == "任务名称"
    assert _label(page, "f-base_info-enterprise_project_id") == "企业项目"
    assert "4–50个字符：字母、数字、-和_，以字母开头。" in page  # the task name's help
    for title in ("基本信息", "源库", "目标库", "网络", "计费", "DRS实例", "预览"):
        assert title in page
    assert "Task name" not in page and "Base info" not in page


def test_choices_are_said_in_chinese_and_stay_the_api_values(client_zh, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=VALID_BODIES["period"](), project=project)
    page = client_zh.get(step_url(draft, "billing")).content.decode()
    assert _label(page, "f-base_info-charging_mode") == "计费模式"
    assert _options(page, "f-period_order-period_type") == {"2": "按月", "3": "按年"}
    with translation.override("zh-hans"):  # an API value's label is the contract's, translated
        assert _options(page, "f-base_info-charging_mode")["period"] == translation.gettext(
            c.LABELS["period"])


def test_what_could_not_be_taken_is_said_in_chinese_on_its_field(client_zh, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    response = _post(client_zh, draft, "base", {"base_info.start_time": "next tuesday"}, "save")
    page = response.content.decode()
    assert "请输入日期和时间。" in page and "Enter a date and time." not in page


def test_a_removal_is_named_in_one_chinese_sentence(client_zh, demo_user, project):
    draft = draft_clone(owner=demo_user, body=example_body(), project=project)
    data = form_data(client_zh.get(step_url(draft, "base")).content.decode())
    data.update({"base_info.engine_type": ["sync:mysql-to-mysql"], "_action": ["update"]})
    page = client_zh.post(step_url(draft, "base"), data).content.decode()
    assert _note(page) == "已移除：服务名 (db_name)，MySQL 不使用。"


def test_a_refused_draft_save_is_said_in_chinese_by_the_autosave(client_zh, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    stale = draft.version
    _post(client_zh, draft, "base", {"base_info.description": "first"}, "save")
    response = client_zh.post(step_url(draft, "base"), {
        "_action": "autosave", "_version": str(stale), "_present": ["base_info.description"],
        "base_info.description": "second"})
    assert response.status_code == 409
    error = json.loads(response.content)["error"]
    assert error.startswith("打开本页后，该草稿已在别处") and "another tab" not in error


def test_an_import_refused_is_said_in_chinese(client_zh, project):
    response = client_zh.post(reverse("draft_import"), {"project_id": project.pk, "body": ""})
    assert "请粘贴请求体或选择文件。" in response.content.decode()


def test_the_same_process_answers_each_person_in_their_language(client_in, demo_user, project):
    """Nothing said is kept across requests in one language and served in the other."""
    draft = draft_create(owner=demo_user, project=project)
    url = step_url(draft, "base")
    for accept, label in (("en", "Task name"), ("zh-CN", "任务名称"), ("en", "Task name")):
        page = client_in.get(url, HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        assert _label(page, "f-base_info-name") == label


def test_an_export_in_chinese_has_chinese_comments_around_the_same_body():
    body = full_body()
    body["job"]["count"] = 5  # left out of Terraform, with a comment saying so
    english = export_curl(body, region="cn-north-4", project_id="p" * 32)
    terraform_en = export_terraform(body, resource_name="task", region="cn-north-4")
    with translation.override("zh-hans"):
        chinese = export_curl(body, region="cn-north-4", project_id="p" * 32)
        terraform_zh = export_terraform(body, resource_name="task", region="cn-north-4")
    for en, zh in ((english, chinese), (terraform_en, terraform_zh)):
        en_comments = [line for line in en.splitlines() if line.startswith("# ")]
        zh_comments = [line for line in zh.splitlines() if line.startswith("# ")]
        assert len(zh_comments) == len(en_comments) == 1
        assert CJK.search(zh_comments[0]) and not CJK.search(en_comments[0])
        assert [line for line in zh.splitlines() if not line.startswith("# ")] == \
            [line for line in en.splitlines() if not line.startswith("# ")]


def test_the_draft_export_asked_for_in_chinese_downloads_chinese_comments(
        client_zh, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=VALID_BODIES["full"](), project=project)
    response = client_zh.get(reverse("draft_export", args=[draft.pk]) + "?format=curl")
    first = response.content.decode().splitlines()[0]
    assert first.startswith("# 请将每个 ****** 替换为")


def test_the_field_table_is_translated_when_shown_not_when_imported():
    """Built at import, the table holds lazy text: str()-ing it there would fix one language."""
    texts = [f.label for f in table.FIELDS] + [s.label for f in table.FIELDS
                                                for s in f.subfields]
    texts += [f.help for f in table.FIELDS if f.help and not callable(f.help)]
    texts += [s.title for s in STEPS] + [t for t in GROUP_TITLES.values() if t not in ("", "VPC",
                                                                                         "SSL")]
    texts += list(table.NODE_SIZES.values())
    assert all(isinstance(text, Promise) for text in texts)
    with translation.override("zh-hans"):
        assert all(CJK.search(str(text)) or str(text) in ("VPC ID", "ID") for text in texts)


def test_the_rename_form_is_in_chinese(client_zh, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    page = client_zh.get(reverse("draft_rename", args=[draft.pk])).content.decode()
    assert _label(page, f"rename-{draft.pk}-name") == "新名称"
    assert re.search(r'<a class="btn btn-outline-secondary" href="/drafts/">取消</a>', page)
    refused = client_zh.post(reverse("draft_rename", args=[draft.pk]), {"name": "x"})
    assert refused.status_code == 200 and "保存" in refused.content.decode()
