"""The pages in Simplified Chinese for a browser asking for it (Accept-Language: zh-CN), the same
pages in English as before; dates and times in the time zone with it named; the words drsui.js
shows come from the page, none from the script."""

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.views.defaults import server_error

from drsui import contract as c
from drsui.jobs.models import Submission, SubmissionBody
from drsui.wizard.models import Draft
from tests.contract.bodies import oracle_body

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
DRSUI_JS = Path(__file__).resolve().parent.parent / "static" / "drsui.js"


def text_of(response) -> str:
    """The page as read: tags out, entities decoded, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The dashboard's counts per status are cached: none left by another test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ops_client(client, demo_user):
    demo_user.groups.add(Group.objects.get_or_create(name="ops")[0])
    client.force_login(demo_user)
    return client


@pytest.fixture
def submission(demo_user, project):
    body = c.mask_secrets(oracle_body())
    draft = Draft.objects.create(owner=demo_user, project=project, name="orders-to-gauss",
                                 body=body)
    row = Submission.objects.create(
        draft=draft, user=demo_user, name=draft.name, project=project,
        engine_type="oracle-to-gaussdbv5", state="created", drs_status="CONFIGURATION",
        drs_job_id="job-00001-jb20x")
    SubmissionBody.objects.create(submission=row, body=body)
    return row


def test_the_drafts_list_in_chinese_and_in_english(client, demo_user):
    client.force_login(demo_user)
    zh = client.get(reverse("draft_list"), **ZH)
    assert '<html lang="zh-hans">' in zh.content.decode()
    page = text_of(zh)
    for words in ("我的草稿", "创建任务", "导入", "退出登录",
                  "暂无草稿。请点击 创建任务 开始，或导入一个请求体。"):
        assert words in page
    assert "My drafts" not in page and "New task" not in page

    en = client.get(reverse("draft_list"), **EN)
    assert '<html lang="en">' in en.content.decode()
    assert "No drafts yet. Start with New task , or import a body." in text_of(en)


def test_the_login_page_in_chinese(client):
    page = text_of(client.get(reverse("login"), **ZH))
    assert "登录 drsui" in page
    assert "用户名" in page and "密码" in page  # Django's own words, in its own catalog
    assert "Log in" not in page

    refused = client.post(reverse("login"), {"username": "nobody", "password": "wrong"}, **ZH)
    assert "用户名或密码不正确，请重试。" in text_of(refused)


def test_an_error_page_in_chinese(client, demo_user):
    client.force_login(demo_user)
    missing = client.get(reverse("submission_detail", args=[999999]), **ZH)
    assert missing.status_code == 404
    assert "此处没有内容，或您无权查看。" in text_of(missing)
    assert "There is nothing here" in text_of(
        client.get(reverse("submission_detail", args=[999999]), **EN))


def test_the_server_error_page_in_chinese(rf):
    with translation.override("zh-hans"):
        page = server_error(rf.get("/")).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "系统出错了" in page and "错误已记录。之前保存的内容仍然保留，请返回后重试。" in page
    assert "Something went wrong on our side" in server_error(rf.get("/")).content.decode()


def test_the_dashboard_in_chinese(ops_client, submission):
    page = text_of(ops_client.get(reverse("ops_dashboard"), **ZH))
    for words in ("运维看板", "审计日志", "导出CSV", "1 条提交记录", "名称", "状态", "创建时间"):
        assert words in page
    english = text_of(ops_client.get(reverse("ops_dashboard"), **EN))
    assert "1 submission" in english and "Export CSV" in english


def test_the_submission_page_in_chinese_with_its_time_in_the_zone(ops_client, submission,
                                                                    demo_user, settings):
    settings.TIME_ZONE = "Asia/Shanghai"  # no zone chosen: the portal's own
    Submission.objects.filter(pk=submission.pk).update(
        created_at=dt.datetime(2026, 12, 2, 11, 4, 5, tzinfo=dt.UTC))
    url = reverse("submission_detail", args=[submission.pk])

    page = text_of(ops_client.get(url, **ZH))
    assert "已在DRS创建。" in page
    assert f"提交人 {demo_user.username}, 2026-12-02 19:04:05 GMT+08:00" in page
    assert "创建相似任务" in page and "审计日志" in page

    english = ops_client.get(url, **EN)
    assert f"Submitted by {demo_user.username}, 2026-12-02 19:04:05 GMT+08:00" in text_of(english)
    assert ('<time datetime="2026-12-02T19:04:05+08:00" title="GMT+08:00">'
            in english.content.decode())


def test_a_zone_behind_greenwich_keeps_its_minutes(ops_client, submission, settings):
    settings.TIME_ZONE = "America/St_Johns"
    Submission.objects.filter(pk=submission.pk).update(
        created_at=timezone.make_aware(dt.datetime(2026, 1, 5, 9, 30), dt.UTC))
    page = text_of(ops_client.get(reverse("submission_detail", args=[submission.pk]), **EN))
    assert "2026-01-05 06:00:00 GMT-03:30" in page


# --- drsui.js -------------------------------------------------------------------------------


def _words_on_page(response) -> dict[str, str]:
    tag = re.search(r'<div id="drsui-words"[^>]*>', response.content.decode(), re.S)[0]
    return {name: html.unescape(value) for name, value in re.findall(r'data-([a-z-]+)="([^"]*)"',
                                                                        tag)}


def _camel(name: str) -> str:
    head, *rest = name.split("-")
    return head + "".join(part.title() for part in rest)


def test_every_word_the_script_shows_is_on_the_page_in_both_languages(client, demo_user):
    client.force_login(demo_user)
    asked = set(re.findall(r'\bword\("([A-Za-z]+)"', DRSUI_JS.read_text()))
    assert {"saving", "saved", "copied", "offline"} <= asked
    zh = {_camel(k): v for k, v in _words_on_page(client.get(reverse("draft_list"), **ZH)).items()}
    en = {_camel(k): v for k, v in _words_on_page(client.get(reverse("draft_list"), **EN)).items()}
    assert asked <= zh.keys() and asked <= en.keys()
    assert en["saving"] == "Saving…" and en["saved"] == "Saved %(time)s"
    assert zh["saving"] == "正在保存…" and zh["saved"] == "已保存 %(time)s"
    assert all(zh[k] != en[k] for k in asked)


# Key and header names the script uses, not words it shows.
_JS_NAMES = {"Enter", "Tab", "Accept"}


def prose_literals(source: str) -> list[str]:
    """String literals of a script that read as words for a person (comments left out)."""
    code = re.sub(r"^\s*//.*$|\s//\s.*$", "", source, flags=re.M)
    found = []
    for literal in re.findall(r'"((?:[^"\\\n]|\\.)*)"', code):
        if re.search(r"[#\[\]=:(<>]", literal) or literal in _JS_NAMES:
            continue
        if (re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", literal) or re.search(r"[…—]", literal)
                or re.fullmatch(r"[A-Z][a-z]+", literal)):
            found.append(literal)
    return found


def test_the_script_holds_no_english_a_person_reads():
    assert prose_literals(DRSUI_JS.read_text().replace('"use strict"', "")) == []


def test_the_prose_check_finds_what_it_should():
    sample = ('button.textContent = "Copied";\nshowSaved("Not saved — " + reason);\n'
              'if (event.key === "Enter") {}  // "a comment"\nx.querySelector("input, select");')
    assert prose_literals(sample) == ["Copied", "Not saved — "]
