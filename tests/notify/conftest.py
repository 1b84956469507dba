import http.server
import json
import threading

import pytest
from notify_helpers import WEBHOOK_SECRET

from drsui import contract as c
from drsui.jobs.models import Submission, SubmissionBody
from drsui.notify.models import Webhook
from drsui.wizard.services import draft_from_body
from tests.contract.bodies import oracle_body


class _Receiver(http.server.BaseHTTPRequestHandler):
    """Answers each POST by the next step of the server's script: "500", "hang" (no answer
    until the test ends), or "ok" (200 with the server's answer) once the script is done."""

    def do_POST(self):  # noqa: N802 (http.server's name)
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with server.lock:
            step = server.script.pop(0) if server.script else "ok"
            server.requests.append({"path": self.path, "headers": dict(self.headers),
                                    "body": body, "step": step})
        if step == "hang":
            server.release.wait(30)
            return
        status = 500 if step == "500" else 200
        answer = json.dumps(server.answer if status == 200 else {"error": "down"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    """A webhook receiver on loopback; `.url`, `.script`, `.requests`, `.delivered()`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.daemon_threads = True
    server.script, server.requests, server.answer = [], [], {"ok": True}
    server.lock, server.release = threading.Lock(), threading.Event()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/drsui"
    server.delivered = lambda: [r for r in server.requests if r["step"] == "ok"]
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _short_timeout(settings):
    settings.DRSUI_WEBHOOK_TIMEOUT = 0.5
    settings.DRSUI_PORTAL_URL = "https://portal.example.com"


@pytest.fixture
def make_webhook(project):
    def make(url, *, format="json", events=None, secret=WEBHOOK_SECRET, **fields):
        webhook = Webhook(project=fields.pop("project", project), name=f"{format} hook",
                          format=format, **fields)
        webhook.set_url(url)
        if events is not None:
            webhook.events = events
        webhook.set_secret(secret)
        webhook.save()
        return webhook

    return make


@pytest.fixture
def submission(demo_user, project):
    """A submission awaiting its outcome, its draft's passwords stored encrypted."""
    draft = draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    row = Submission.objects.create(draft=draft, user=demo_user, project=project,
                                    name=draft.name, engine_type="oracle-to-gaussdbv5")
    SubmissionBody.objects.create(submission=row, body=c.mask_secrets(oracle_body()))
    return row
