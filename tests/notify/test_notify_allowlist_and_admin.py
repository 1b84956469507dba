"""Webhook hosts on an allow-list, checked when saved (the URL field) and again at each post;
the secret write-only in the admin; the outbox read-only with "retry now"."""

import json

import pytest
from django.urls import reverse
from notify_helpers import WEBHOOK_SECRET, transition

from drsui.notify.models import OutboxMessage, Webhook
from tests.deploy.deploy_helpers import manage, production_env

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_in(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="root-pass-1")
    client.force_login(admin)
    return client


def _add_form(project, url, **fields):
    return {"project": project.pk, "name": "team hook", "url": url, "format": "json",
            "events": ["requested", "approved"], "enabled": "on", "secret": WEBHOOK_SECRET,
            **fields}


def test_the_admin_refuses_a_host_not_on_the_list_on_the_url_field(admin_client_in, project,
                                                                   settings):
    settings.DRSUI_WEBHOOK_HOSTS = ["hooks.example.com", "127.0.0.1:8000"]
    url = reverse("admin:notify_webhook_add")
    for refused in ("https://evil.example.net/hook", "https://hooks.example.com.evil.net/h",
                    "http://127.0.0.1:9000/hook", "ftp://hooks.example.com/hook"):
        response = admin_client_in.post(url, _add_form(project, refused))
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert list(errors) == ["url"], (refused, errors)
        assert 'value="team hook"' in response.content.decode()  # nothing typed is lost
    assert not Webhook.objects.exists()

    for allowed in ("https://hooks.example.com/drsui?token=1", "http://127.0.0.1:8000/hook"):
        response = admin_client_in.post(url, _add_form(project, allowed))
        assert response.status_code == 302, response.context["adminform"].form.errors
    assert Webhook.objects.count() == 2


def test_production_refuses_plain_http_except_to_loopback(admin_client_in, project, settings):
    settings.DRSUI_WEBHOOK_HOSTS = ["hooks.example.com", "127.0.0.1"]
    settings.DRSUI_WEBHOOK_HTTPS_ONLY = True
    url = reverse("admin:notify_webhook_add")
    response = admin_client_in.post(url, _add_form(project, "http://hooks.example.com/hook"))
    assert "https://" in " ".join(response.context["adminform"].form.errors["url"])
    assert admin_client_in.post(
        url, _add_form(project, "http://127.0.0.1:8080/hook")).status_code == 302


@pytest.mark.parametrize(("hosts", "shown"), [
    (None, "[] True"), ("hooks.example.com, 10.0.0.5:8443", "['hooks.example.com', "
                                                             "'10.0.0.5:8443'] True")])
def test_production_allows_no_host_unless_told(hosts, shown):
    done = manage("shell", "-c", "from django.conf import settings as s; "
                  "print(s.DRSUI_WEBHOOK_HOSTS, s.DRSUI_WEBHOOK_HTTPS_ONLY)",
                  env=production_env(DRSUI_WEBHOOK_HOSTS=hosts))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == shown  # after the shell's own lines


def test_a_host_taken_off_the_list_is_not_posted_to(receiver, make_webhook, submission,
                                                    settings, django_capture_on_commit_callbacks):
    make_webhook(receiver.url)
    settings.DRSUI_WEBHOOK_HOSTS = ["hooks.example.com"]
    with django_capture_on_commit_callbacks(execute=True):
        transition(submission, "approved")
    message = OutboxMessage.objects.get()
    assert message.state == "failed"
    assert "127.0.0.1 is not on the portal's list" in message.last_error
    assert receiver.requests == []


def test_the_secret_is_never_shown_back(admin_client_in, make_webhook, receiver):
    webhook = make_webhook(receiver.url)
    page = admin_client_in.get(reverse("admin:notify_webhook_change", args=[webhook.pk]))
    html = page.content.decode()
    assert WEBHOOK_SECRET not in html and webhook.secret_encrypted not in html
    assert "Set — leave empty to keep it." in html

    form = {**_add_form(webhook.project, receiver.url, name="renamed"), "secret": ""}
    assert admin_client_in.post(reverse("admin:notify_webhook_change", args=[webhook.pk]),
                                form).status_code == 302
    webhook.refresh_from_db()
    assert (webhook.name, webhook.secret()) == ("renamed", WEBHOOK_SECRET)  # kept
    assert WEBHOOK_SECRET not in webhook.secret_encrypted  # encrypted at rest


def test_a_new_webhook_needs_a_secret(admin_client_in, project, receiver):
    response = admin_client_in.post(reverse("admin:notify_webhook_add"),
                                    {**_add_form(project, receiver.url), "secret": ""})
    assert list(response.context["adminform"].form.errors) == ["secret"]


def test_the_outbox_list_and_retry_now(admin_client_in, receiver, make_webhook, submission,
                                       settings, django_capture_on_commit_callbacks):
    make_webhook(receiver.url)
    settings.DRSUI_WEBHOOK_HOSTS = []
    with django_capture_on_commit_callbacks(execute=True):
        transition(submission, "failed")
    message = OutboxMessage.objects.get()
    assert message.state == "failed"

    changelist = reverse("admin:notify_outboxmessage_changelist")
    page = admin_client_in.get(changelist, {"state": "failed"}).content.decode()
    assert "Given up" in page and "not on the portal" in page
    assert WEBHOOK_SECRET not in page

    settings.DRSUI_WEBHOOK_HOSTS = ["127.0.0.1"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_in.post(changelist, {"action": "retry_now",
                                                     "_selected_action": [message.pk]})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == "delivered"
    assert [json.loads(r["body"])["event"] for r in receiver.delivered()] == ["failed"]
    assert admin_client_in.get(reverse("admin:notify_outboxmessage_add")).status_code == 403


ROBOT_URLS = [
    "https://oapi.dingtalk.com/robot/send?access_token=dt-token-81cc9f",
    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-5e0d44",
    "https://open.feishu.cn/open-apis/bot/v2/hook/feishu-hook-3a7b19",
]


@pytest.mark.parametrize("robot_url", ROBOT_URLS)
def test_a_robots_url_is_kept_encrypted_and_shown_as_its_host(admin_client_in, project,
                                                              settings, robot_url):
    token = robot_url.rsplit("=", 1)[-1].rsplit("/", 1)[-1]
    host = robot_url.split("/")[2]
    settings.DRSUI_WEBHOOK_HOSTS = [host]
    response = admin_client_in.post(reverse("admin:notify_webhook_add"),
                                    _add_form(project, robot_url))
    assert response.status_code == 302
    webhook = Webhook.objects.get()
    assert webhook.url() == robot_url
    assert token not in webhook.url_encrypted and token not in webhook.url_shown
    assert webhook.url_shown == f"https://{host}/******"

    listed = admin_client_in.get(reverse("admin:notify_webhook_changelist")).content.decode()
    change = reverse("admin:notify_webhook_change", args=[webhook.pk])
    shown = admin_client_in.get(change).content.decode()
    for html in (listed, shown):
        assert f"https://{host}/******" in html and token not in html

    # Left empty, the URL is kept; a new one replaces it.
    assert admin_client_in.post(change, {**_add_form(project, ""), "secret": ""}
                                ).status_code == 302
    webhook.refresh_from_db()
    assert webhook.url() == robot_url
    assert admin_client_in.post(change, _add_form(project, robot_url + "-new")).status_code == 302
    webhook.refresh_from_db()
    assert webhook.url() == robot_url + "-new"


def test_a_new_webhook_needs_a_url(admin_client_in, project):
    response = admin_client_in.post(reverse("admin:notify_webhook_add"), _add_form(project, ""))
    assert list(response.context["adminform"].form.errors) == ["url"]
    assert not Webhook.objects.exists()


def test_rotating_the_keys_rotates_the_webhooks_url_and_secret(make_webhook, receiver,
                                                               settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from drsui import crypto

    webhook = make_webhook(receiver.url)
    old_key = settings.DRSUI_SECRET_KEYS[0]
    settings.DRSUI_SECRET_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("drsui_rotate_keys", stdout=__import__("io").StringIO())
    settings.DRSUI_SECRET_KEYS = settings.DRSUI_SECRET_KEYS[:1]  # the old key removed
    crypto._fernet.cache_clear()
    webhook.refresh_from_db()
    assert (webhook.url(), webhook.secret()) == (receiver.url, WEBHOOK_SECRET)
