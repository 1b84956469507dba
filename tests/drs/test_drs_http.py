from drs_helpers import ScriptedAdapter

from drsui.drs import USER_AGENT, HttpSession


def session_with(adapter):
    session = HttpSession(connect_timeout=3, read_timeout=7)
    session.mount("http://", adapter)
    return session


def test_every_request_gets_the_timeouts_and_the_user_agent():
    adapter = ScriptedAdapter((200, {}), (200, {}))
    session = session_with(adapter)

    session.get("http://drs.test/a")
    session.post("http://drs.test/b", json={}, timeout=None)

    for request, options in adapter.sent:
        assert options["timeout"] == (3, 7)
        assert request.headers["User-Agent"] == USER_AGENT


def test_an_explicit_timeout_wins():
    adapter = ScriptedAdapter((200, {}))
    session_with(adapter).get("http://drs.test/a", timeout=(1, 2))

    assert adapter.sent[0][1]["timeout"] == (1, 2)
