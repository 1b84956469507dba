"""drsui.sessions (SESSION_ENGINE): Django's database sessions read with a plain query; a
person stays logged in while the session lives, and not after it expired or was deleted."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(demo_user):
    client = Client()
    client.force_login(demo_user)
    return client


def test_a_live_session_keeps_the_person_logged_in(logged_in, demo_user):
    page = logged_in.get(reverse("draft_list"))
    assert page.status_code == 200 and demo_user.username in page.text


@pytest.mark.parametrize("end", ["expired", "deleted"])
def test_an_ended_session_logs_the_person_out(logged_in, end):
    sessions = Session.objects.filter(session_key=logged_in.session.session_key)
    if end == "expired":
        sessions.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    else:
        sessions.delete()
    page = logged_in.get(reverse("draft_list"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
