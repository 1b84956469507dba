"""The kept HTTP sessions: calls from one thread in quick succession reuse one connection to
DRS, another thread has its own, an idle connection is not reused, and no cookie is kept."""

import http.server
import json
import threading

import pytest

from drsui.drs import http as drs_http
from drsui.drs.credentials import StaticToken
from drsui.drs.factory import client_for


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as DRS does

    def setup(self):
        super().setup()
        self.server.connections += 1

    def do_GET(self):
        self.server.cookies_seen.append(self.headers.get("Cookie"))
        body = json.dumps({"jobs": [], "total_count": 0}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", "lb-affinity=abc; Path=/")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def counting_drs():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    server.daemon_threads = True
    server.connections, server.cookies_seen = 0, []
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _list_twice(url: str, errors: list):
    try:
        for _ in range(2):
            client = client_for(drs_endpoint=url, iam_endpoint=url, project_id="p" * 32,
                                credentials=StaticToken("token"))
            assert client.list_jobs() == {"jobs": [], "total_count": 0}
    except Exception as exc:  # noqa: BLE001 (asserted by the test)
        errors.append(exc)


def _in_a_new_thread(url: str) -> list:
    errors = []
    thread = threading.Thread(target=_list_twice, args=(url, errors), daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive()
    return errors


def test_clients_of_one_thread_share_a_kept_connection_and_threads_do_not(counting_drs):
    url = f"http://127.0.0.1:{counting_drs.server_address[1]}"

    assert _in_a_new_thread(url) == []
    assert counting_drs.connections == 1

    assert _in_a_new_thread(url) == []
    assert counting_drs.connections == 2


def test_an_idle_connection_is_not_reused(counting_drs, monkeypatch):
    monkeypatch.setattr(drs_http, "IDLE_SECONDS", -1)  # every call comes after an idle spell
    url = f"http://127.0.0.1:{counting_drs.server_address[1]}"

    assert _in_a_new_thread(url) == []
    assert counting_drs.connections == 2


def test_no_cookie_set_by_drs_is_sent_back(counting_drs):
    url = f"http://127.0.0.1:{counting_drs.server_address[1]}"

    assert _in_a_new_thread(url) == []
    assert counting_drs.cookies_seen == [None, None]
