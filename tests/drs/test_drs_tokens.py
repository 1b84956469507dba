import threading
import time

from drs_helpers import PROJECT_ID, ScriptedAdapter

from drsui.drs import HttpSession, PasswordCredentials
from drsui.drs.tokens import IamToken, TokenCache, request_token, token_cache_key

CREDENTIALS = PasswordCredentials(user="alice", password="Pa55-word", domain="acme")


def test_the_cache_key_hides_the_password_but_depends_on_it():
    key = token_cache_key(iam_endpoint="http://iam", project_id=PROJECT_ID, credentials=CREDENTIALS)
    other = PasswordCredentials(user="alice", password="changed", domain="acme")

    assert "Pa55-word" not in key and "alice" not in key
    assert key != token_cache_key(
        iam_endpoint="http://iam", project_id=PROJECT_ID, credentials=other
    )


def test_concurrent_callers_share_one_fetch():
    cache = TokenCache()
    fetches = []

    def slow_fetch():
        fetches.append(1)
        time.sleep(0.1)
        return IamToken(value="t", renew_at=time.monotonic() + 60)

    threads = [
        threading.Thread(target=cache.get, args=("key",), kwargs={"fetch": slow_fetch})
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(fetches) == 1


def test_discard_leaves_a_newer_token_alone():
    cache = TokenCache()
    cache.get("key", fetch=lambda: IamToken(value="new", renew_at=time.monotonic() + 60))

    cache.discard("key", value="old")

    assert cache.get("key", fetch=lambda: IamToken(value="other", renew_at=0)) == "new"


def iam_token(issued_at, expires_at):
    adapter = ScriptedAdapter(
        (
            201,
            {"token": {"issued_at": issued_at, "expires_at": expires_at}},
            {"X-Subject-Token": "the-token"},
        )
    )
    session = HttpSession(connect_timeout=1, read_timeout=1)
    session.mount("http://", adapter)
    started = time.monotonic()
    token = request_token(
        session=session,
        iam_endpoint="http://iam.test",
        project_id=PROJECT_ID,
        credentials=CREDENTIALS,
        timeout=(1, 1),
    )
    body = adapter.sent[0][0].body
    return token, token.renew_at - started, body


def test_a_day_long_token_is_renewed_five_minutes_early():
    token, usable, body = iam_token("2030-01-01T00:00:00.000000Z", "2030-01-02T00:00:00.000000Z")

    assert token.value == "the-token"
    assert abs(usable - (24 * 3600 - 300)) < 0.5
    assert b'"scope": {"project": {"id": "' + PROJECT_ID.encode() in body


def test_a_short_token_is_renewed_at_ninety_percent_of_its_life():
    _, usable, _ = iam_token("2030-01-01T00:00:00Z", "2030-01-01T00:01:40Z")

    assert abs(usable - 90) < 0.5
