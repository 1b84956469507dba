"""What drsui.js writes on the page is in the page's language: the autosave's status, the name
of a task being named, a copied value."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from drsui.wizard.services import draft_from_body
from tests.contract.bodies import mysql_sync_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.browser_context_args(locale="zh-CN")]


def zh(msgid: str, context: str | None = None) -> str:
    with translation.override("zh-hans"):
        return translation.pgettext(context, msgid) if context else translation.gettext(msgid)


def test_the_script_speaks_chinese_to_a_chinese_page(page, live_server, demo_user,
                                                     sandbox_project):
    from django.conf import settings
    from django.test import Client

    draft = draft_from_body(owner=demo_user, body=mysql_sync_body(), project=sandbox_project)
    client = Client()
    client.force_login(demo_user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/drafts/{draft.pk}/base/")

    saved = zh("Saved %%(time)s").replace("%%", "%")
    assert saved != "Saved %(time)s"  # the catalog has it
    page.locator('[name="base_info.name"]').fill("")
    expect(page.locator("#task-name")).to_have_text(
        zh("New task", "the name of a task not named yet"))
    page.locator('[name="base_info.description"]').fill("自动保存")
    expect(page.locator("#saved-at")).to_have_text(
        re.compile("^" + re.escape(saved).replace(re.escape("%(time)s"), r"\d\d:\d\d") + "$"))

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = page.locator(".wizard-json .js-copy")
    copy.click()
    expect(copy).to_have_text(zh("Copied"))
