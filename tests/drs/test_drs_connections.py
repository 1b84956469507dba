"""Calls from one thread reuse one kept connection to DRS; another thread has its own."""

import http.server
import json
import threading

import pytest

from drsui.drs.credentials import StaticToken
from drsui.drs.factory import client_for


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as DRS does

    def setup(self):
        super().setup()
        self.server.connections += 1

    def do_GET(self):
        body = json.dumps({"jobs": [], "total_count": 0}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def counting_drs():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    server.daemon_threads = True
    server.connections = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _list_twice(url: str):
    for _ in range(2):
        client = client_for(drs_endpoint=url, iam_endpoint=url, project_id="p" * 32,
                            credentials=StaticToken("token"))
        assert client.list_jobs() == {"jobs": [], "total_count": 0}


def test_clients_of_one_thread_share_a_kept_connection_and_threads_do_not(counting_drs):
    url = f"http://127.0.0.1:{counting_drs.server_address[1]}"

    _list_twice(url)
    assert counting_drs.connections == 1

    other = threading.Thread(target=_list_twice, args=(url,))
    other.start()
    other.join()
    assert counting_drs.connections == 2
