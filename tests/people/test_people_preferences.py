"""A person's language and time zone: the switcher on every page, remembered per person,
the browser's choice before any; the time zone of the page's times."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from drsui.people.models import Preference
from drsui.wizard.models import Draft
from drsui.wizard.services import draft_create
from tests.wizard.wizard_client import post

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def shown_language(response) -> str:
    """The language the page was rendered in, and the one its switcher shows as chosen."""
    page = response.content.decode()
    selected = re.search(r'<option value="([\w-]+)" lang="[\w-]+" selected>', page)
    assert selected, "no language switcher on the page"
    assert response.headers["Content-Language"] == selected.group(1)
    return selected.group(1)


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def logged_in(user, **headers) -> Client:
    client = Client(**headers)
    client.force_login(user)
    return client


def test_the_browser_language_decides_before_any_choice(demo_user):
    assert shown_language(Client().get("/login/", **ZH)) == "zh-hans"
    assert shown_language(Client().get("/login/", **EN)) == "en"
    assert shown_language(logged_in(demo_user, **ZH).get(reverse("draft_list"))) == "zh-hans"


def test_the_switcher_works_without_javascript_on_the_login_page():
    client = Client(**EN)
    page = client.get("/login/?next=/drafts/").content.decode()
    assert 'action="/language/"' in page and 'type="submit"' in page
    response = client.post("/language/", {"language": "zh-hans",
                                          "next": "/login/?next=/drafts/"})
    assert response.status_code == 302 and response.url == "/login/?next=/drafts/"
    assert shown_language(client.get(response.url)) == "zh-hans"


def test_a_switch_is_remembered_for_the_person_on_another_device(demo_user):
    laptop = logged_in(demo_user, **EN)
    laptop.post("/language/", {"language": "zh-hans", "next": "/drafts/"})
    assert shown_language(laptop.get("/drafts/")) == "zh-hans"
    assert Preference.objects.get(user=demo_user).language == "zh-hans"

    phone = Client(**EN)  # asks for English, never switched here
    response = phone.post("/login/", {"username": "alice", "password": "alice-pass-1"})
    assert response.status_code == 302
    assert shown_language(phone.get("/drafts/")) == "zh-hans"

    phone.post("/language/", {"language": "en", "next": "/drafts/"})
    assert shown_language(phone.get("/drafts/")) == "en"
    tablet = Client(**ZH)
    tablet.force_login(demo_user)
    assert shown_language(tablet.get("/drafts/")) == "en"


def test_the_choice_is_read_from_the_session_not_the_database(demo_user):
    client = logged_in(demo_user, **EN)
    client.get("/drafts/")
    with CaptureQueriesContext(connection) as without_choice:
        client.get("/drafts/")
    client.post("/language/", {"language": "zh-hans"})
    with CaptureQueriesContext(connection) as with_choice:
        assert shown_language(client.get("/drafts/")) == "zh-hans"
    assert len(with_choice.captured_queries) == len(without_choice.captured_queries)
    # Changed behind the session's back, the row is read again at the next log-in only.
    Preference.objects.filter(user=demo_user).update(language="en")
    assert shown_language(client.get("/drafts/")) == "zh-hans"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "javascript:alert(1)", ""])
def test_the_switch_redirects_only_to_a_page_of_ours(target):
    response = Client().post("/language/", {"language": "zh-hans", "next": target})
    assert response.status_code == 302 and response.url == reverse("home")


def test_a_language_not_offered_changes_nothing_and_says_so(demo_user):
    client = logged_in(demo_user, **EN)
    response = client.post("/language/", {"language": "fr", "next": "/drafts/"}, follow=True)
    assert response.status_code == 200 and shown_language(response) == "en"
    assert "Choose a language from the list." in response.content.decode()
    assert not Preference.objects.filter(user=demo_user).exists()
    assert Client().get("/language/").status_code == 405


def test_a_language_named_as_drs_names_it_is_understood():
    client = Client(**EN)
    client.post("/language/", {"language": "zh-CN"})
    assert shown_language(client.get("/login/")) == "zh-hans"


def test_the_preferences_page_shows_chinese_under_zh_cn(demo_user):
    page = logged_in(demo_user, **ZH).get(reverse("preferences")).content.decode()
    assert zh("Preferences") != "Preferences"  # the catalog is compiled (make compilemessages)
    assert f"<h1 class=\"h4 mb-3\">{zh('Preferences')}</h1>" in page
    assert zh("Time zone") in page


def _draft_saved_at(user, project, moment) -> Draft:
    draft = draft_create(owner=user, project=project)
    Draft.objects.filter(pk=draft.pk).update(updated_at=moment)
    return draft


def test_times_are_shown_in_the_browser_time_zone_until_one_is_chosen(demo_user, project):
    _draft_saved_at(demo_user, project, datetime(2026, 12, 2, 19, 4, tzinfo=UTC))
    client = logged_in(demo_user, **EN)
    assert "2026-12-02 19:04" in client.get("/drafts/").content.decode()  # settings.TIME_ZONE
    client.cookies["drsui_tz"] = "Asia%2FShanghai"
    assert "2026-12-03 03:04" in client.get("/drafts/").content.decode()

    response = client.post(reverse("preferences"), {"language": "", "time_zone": "America/Lima"})
    assert response.status_code == 302
    assert "2026-12-02 14:04" in client.get("/drafts/").content.decode()
    assert Preference.objects.get(user=demo_user).time_zone == "America/Lima"
    elsewhere = Client()
    elsewhere.force_login(demo_user)
    assert "2026-12-02 14:04" in elsewhere.get("/drafts/").content.decode()


@pytest.mark.parametrize("cookie", ["Mars/Olympus_Mons", "..%2F..%2Fetc%2Fpasswd", "%00",
                                    "America", "x" * 300])
def test_an_unknown_browser_time_zone_falls_back_to_the_default(demo_user, project, cookie):
    _draft_saved_at(demo_user, project, datetime(2026, 12, 2, 19, 4, tzinfo=UTC))
    client = logged_in(demo_user, **EN)
    client.cookies["drsui_tz"] = cookie
    response = client.get("/drafts/")
    assert response.status_code == 200 and "2026-12-02 19:04" in response.content.decode()


def test_the_preferences_page_refuses_an_unknown_zone_on_its_field(demo_user):
    client = logged_in(demo_user, **EN)
    response = client.post(reverse("preferences"), {"language": "zh-hans",
                                                    "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice." in page and 'id="id_time_zone"' in page
    assert not Preference.objects.filter(user=demo_user).exists()


def test_preferences_left_to_the_browser_follow_it_again(demo_user):
    client = logged_in(demo_user, **ZH)
    client.post(reverse("preferences"), {"language": "en", "time_zone": "Asia/Shanghai"})
    assert shown_language(client.get("/drafts/")) == "en"
    client.post(reverse("preferences"), {"language": "", "time_zone": ""})
    assert shown_language(client.get("/drafts/")) == "zh-hans"
    assert Preference.objects.get(user=demo_user).language == ""


def test_a_stored_language_no_longer_offered_leaves_it_to_the_browser(demo_user):
    client = logged_in(demo_user, **ZH)
    session = client.session
    session["drsui_language"] = "fr"
    session.save()
    assert shown_language(client.get("/drafts/")) == "zh-hans"


def test_a_typed_start_time_is_read_in_the_zone_the_person_chose(demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    client = logged_in(demo_user, **EN)
    client.post(reverse("preferences"), {"language": "", "time_zone": "America/Lima"})
    client.cookies["drsui_tz"] = "Asia%2FShanghai"  # the browser's, as the form's _tz too
    post(client, draft, "base", {"base_info.start_time": "2026-12-10T08:00",
                                 "_tz": "Asia/Shanghai"}, action="save")
    draft.refresh_from_db()
    assert draft.job["base_info"]["start_time"] == str(
        int(datetime(2026, 12, 10, 13, 0, tzinfo=UTC).timestamp() * 1000))  # Lima is UTC−5


def test_a_chinese_request_leaves_no_chinese_behind_in_its_thread(demo_user, project,
                                                                  settings):
    """What the same thread does after a request (the next request, a queued task, a test's
    next step) speaks the default language, not the last person's."""
    from drsui.jobs.services.submit import submission_create
    from drsui.wizard.services import draft_from_body
    from tests.contract.bodies import oracle_body

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}

    chinese = logged_in(demo_user, **ZH)
    assert shown_language(chinese.get(reverse("draft_list"))) == "zh-hans"
    assert shown_language(Client().get("/login/")) == "en"  # nobody asked for Chinese
    chinese.get(reverse("draft_list"))
    assert translation.get_language() == "en"
    draft = draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    submission = submission_create(draft=draft, user=demo_user)
    assert submission.language == "en"  # what a task queued from here would speak
