"""Each format's message and signing as the receiving service checks it: DingTalk's sign
query parameters, Feishu's sign in the body, drsui's headers on all; the texts in the
submission's language."""

import base64
import hashlib
import hmac
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from notify_helpers import WEBHOOK_SECRET, drsui_signature_ok, transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_of(receiver, make_webhook, submission, demo_user, django_capture_on_commit_callbacks):
    """post_of(format, url_suffix=""): the request the receiver got for one approval."""

    def post(format, url_suffix=""):
        make_webhook(receiver.url + url_suffix, format=format)
        with django_capture_on_commit_callbacks(execute=True):
            transition(submission, "approved", actor=demo_user, comment="go ahead")
        [request] = receiver.delivered()
        assert drsui_signature_ok(request)
        return request, json.loads(request["body"])

    return post


def test_plain_json(post_of, submission):
    request, message = post_of("json")
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["headers"]["X-Drsui-Event"] == "approved"
    assert set(message) == {"event", "submission", "actor", "comment", "at"}
    assert message["event"] == "approved"
    assert message["submission"] == {
        "id": submission.pk, "name": submission.name, "state": submission.state,
        "project": "Sandbox", "engine_type": "oracle-to-gaussdbv5",
        "url": f"https://portal.example.com/submissions/{submission.pk}/"}
    assert (message["actor"], message["comment"]) == ("alice", "go ahead")


def test_dingtalk_robot_signs_in_the_query(post_of, submission):
    request, message = post_of("dingtalk", "?access_token=robot-token-1")
    query = parse_qs(urlsplit(request["path"]).query)
    assert query["access_token"] == ["robot-token-1"]
    [timestamp], [sign] = query["timestamp"], query["sign"]
    assert len(timestamp) == 13  # milliseconds
    string_to_sign = f"{timestamp}\n{WEBHOOK_SECRET}".encode()
    expected = base64.b64encode(hmac.new(WEBHOOK_SECRET.encode(), string_to_sign,
                                         hashlib.sha256).digest()).decode()
    assert sign == expected  # parse_qs undid the URL encoding
    assert "%2B" in request["path"] or "+" not in expected  # a base64 "+" is encoded
    assert message["msgtype"] == "markdown"
    assert set(message["markdown"]) == {"title", "text"}
    assert submission.name in message["markdown"]["title"]
    text = message["markdown"]["text"]
    assert "go ahead" in text and "alice" in text
    assert f"(https://portal.example.com/submissions/{submission.pk}/)" in text


def test_wecom_group_robot(post_of, submission):
    _request, message = post_of("wecom", "?key=robot-key-1")
    assert message["msgtype"] == "markdown"
    assert set(message["markdown"]) == {"content"}
    assert submission.name in message["markdown"]["content"]


def test_feishu_custom_bot_signs_in_the_body(post_of, submission):
    _request, message = post_of("feishu")
    assert set(message) == {"timestamp", "sign", "msg_type", "content"}
    assert len(message["timestamp"]) == 10  # seconds
    key = f"{message['timestamp']}\n{WEBHOOK_SECRET}".encode()
    assert message["sign"] == base64.b64encode(
        hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert message["msg_type"] == "text"
    assert submission.name in message["content"]["text"]


@pytest.mark.parametrize(("language", "words", "not_words"), [
    ("zh-hans", ["已批准", "项目", "审批"], ["Approved", "Project"]),
    ("en", ["Approved", "Project"], ["已批准"]),
])
def test_the_texts_are_in_the_submissions_language(
        receiver, make_webhook, submission, django_capture_on_commit_callbacks, language,
        words, not_words):
    submission.language = language
    make_webhook(receiver.url, format="feishu")
    make_webhook(receiver.url, format="dingtalk")
    with django_capture_on_commit_callbacks(execute=True):
        transition(submission, "approved", comment="ok")
        transition(submission, "requested", comment="ok")
    texts = [json.dumps(json.loads(r["body"]), ensure_ascii=False)
             for r in receiver.delivered()]
    assert len(texts) == 4
    joined = "\n".join(texts)
    assert all(word in joined for word in words), joined
    assert not any(word in joined for word in not_words), joined


HOSTILE_COMMENT = ('ok [click here](https://evil.example.net/x) @all <at user_id="all">所有人</at> '
                   '<@wangwu> <font color="warning">!</font>\n#### fake heading\n- fake item '
                   '**bold** `code` ![img](https://evil.example.net/i.png)')


@pytest.mark.parametrize("format", ["dingtalk", "wecom", "feishu"])
def test_text_people_typed_cannot_link_mention_or_format_in_a_robots_message(
        receiver, make_webhook, submission, django_user_model, format,
        django_capture_on_commit_callbacks):
    actor = django_user_model.objects.create_user("eve](https://evil.example.net)@all",
                                                  password="eve-pass-1")
    submission.project.name = "Prod [x](https://evil.example.net/p)"
    submission.project.save()
    make_webhook(receiver.url, format=format)
    with django_capture_on_commit_callbacks(execute=True):
        transition(submission, "rejected", actor=actor, comment=HOSTILE_COMMENT)
    [request] = receiver.delivered()
    message = json.loads(request["body"])
    text = (message["markdown"].get("text") or message["markdown"].get("content")
            if format != "feishu" else message["content"]["text"])
    link = f"[Open the submission](https://portal.example.com/submissions/{submission.pk}/)"
    if format != "feishu":
        assert text.endswith(link)
        text = text.removesuffix(link)
    shown = [text, message["markdown"]["title"]] if format == "dingtalk" else [text]
    for part in shown:
        assert "<" not in part and ">" not in part  # no <at>, <@user>, <font>
        assert "@all" not in part
        assert not re.search(r"\n\s*(#|- fake)", part)  # no heading or item of its own
        if format != "feishu":  # markdown: every control character escaped
            assert not re.search(r"(?<!\\)[\[\]()*`]", part), part
    # Still readable: every word is there.
    for word in ("click here", "fake heading", "bold", "code", "所有人", "wangwu", "Prod"):
        assert word in text, (word, text)


@pytest.mark.parametrize("thread_language", ["zh-hans", "en"])
def test_the_delivering_threads_own_language_changes_nothing(
        receiver, make_webhook, submission, settings, thread_language,
        django_capture_on_commit_callbacks):
    """Whatever the thread that delivers last served, a message speaks its submission's
    language (here English) and the outbox's error is English (for operators)."""
    from django.utils import translation

    from drsui.notify.models import OutboxMessage

    make_webhook(receiver.url, format="feishu")
    with translation.override(thread_language):
        with django_capture_on_commit_callbacks(execute=True):
            transition(submission, "approved", comment="ok")
        settings.DRSUI_WEBHOOK_HOSTS = []
        with django_capture_on_commit_callbacks(execute=True):
            transition(submission, "requested", comment="ok")
    [request] = receiver.delivered()
    text = json.loads(request["body"])["content"]["text"]
    assert text.startswith("Approved: ") and "Project: " in text and "已批准" not in text
    refused = OutboxMessage.objects.get(event="requested")
    assert refused.state == "failed"
    assert "is not on the portal's list of webhook hosts" in refused.last_error
