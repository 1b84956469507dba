"""Log-in throttling: five failures for one username from one address lock that pair out for
15 minutes, said on the login page; a success starts the count again."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

PASSWORD = "right-pass-1"
LOCKED = "log-in is locked for 15 minutes"
WRONG = "did not match"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


def log_in(client, password, *, username="alice", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_fifth_failure_locks_the_login_even_for_the_right_password(client, alice):
    for _ in range(4):
        answer = log_in(client, "wrong")
        assert answer.status_code == 200 and WRONG in answer.content.decode()
    fifth = log_in(client, "wrong")
    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert LOCKED in page
    assert 'name="username"' in page and 'value="alice"' in page  # the page, not a bare 403

    right = log_in(client, PASSWORD)
    assert right.status_code == 429 and LOCKED in right.content.decode()
    assert not logged_in(client)


def test_a_success_starts_the_count_again(client, alice):
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200
    assert log_in(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_lockout_ends_after_15_minutes(client, alice):
    for _ in range(5):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time
                                 - timedelta(minutes=15, seconds=1))
    assert log_in(client, PASSWORD).status_code == 302


def test_the_lock_holds_one_username_from_one_address(client, alice, django_user_model):
    django_user_model.objects.create_user("bob", password=PASSWORD)
    for _ in range(5):
        log_in(client, "wrong", REMOTE_ADDR="192.0.2.1")
    assert log_in(client, PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert log_in(client, PASSWORD, username="bob", REMOTE_ADDR="192.0.2.1").status_code == 302
    client.logout()
    assert log_in(client, PASSWORD, REMOTE_ADDR="192.0.2.2").status_code == 302


def test_behind_the_tls_proxy_the_address_it_appended_counts(client, alice, settings):
    settings.BEHIND_TLS_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    for n in range(5):  # the client varies the part it may forge; the proxy appends its address
        log_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 192.0.2.7", **proxy)
    assert log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.7", **proxy).status_code == 429
    assert log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.8", **proxy).status_code == 302


def test_without_the_proxy_setting_x_forwarded_for_is_ignored(client, alice, settings):
    settings.BEHIND_TLS_PROXY = False
    for n in range(5):
        log_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_the_login_page_and_the_lockout_page_carry_on_to_the_page_asked_for(client, alice):
    asked = client.get(reverse("draft_list"))
    assert 'name="next" value="/drafts/"' in client.get(asked.url).content.decode()
    for _ in range(5):
        answer = client.post(reverse("login"), {"username": "alice", "password": "wrong",
                                                "next": "/drafts/"})
    assert answer.status_code == 429 and 'name="next" value="/drafts/"' in answer.text
    AccessAttempt.objects.all().delete()
    answer = client.post(reverse("login"), {"username": "alice", "password": PASSWORD,
                                            "next": "/drafts/"})
    assert answer.status_code == 302 and answer.url == "/drafts/"
