"""The simulated people of `make loadtest`: each logs in, then walks the wizard as a browser
would, again and again: New task, every step's page (GET) and form (POST, multipart, with its
CSRF token and Referer, as the page rendered it plus what the person types), Save once on the
source step, Next on each, the review, Submit, the submission page.

Run by bench/loadtest/run.py (`locust --headless`); configured through the environment:
LOADTEST_HOSTS         comma-separated base URLs: person i uses host i mod n
LOADTEST_USERS_FILE    one "username password" per line: person i logs in as line i
LOADTEST_PEOPLE        how many people: all are logged in before anyone walks
LOADTEST_SESSIONS      a file of their session cookies: who logged in during an earlier phase
                       is still logged in
LOADTEST_DURATION      seconds in which a person begins new tasks
LOADTEST_PROJECT       the cloud project's pk
LOADTEST_PHASE         a short tag in every task name
LOADTEST_RECORD        where to write, at the end, what each person saved and submitted, and
                       every answer of 5xx
LOADTEST_THINK         "low-high" seconds a person pauses before each request
LOADTEST_CA            the self-signed certificate
"""

import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from gevent.event import Event
from locust import HttpUser, events, task
from locust.exception import StopUser
from urllib3 import encode_multipart_formdata

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.wizard.page_form import form_fields  # noqa: E402 (a browser's reading of a form)

HOSTS = os.environ.get("LOADTEST_HOSTS", "").split(",")
ACCOUNTS = [line.split() for line in Path(os.environ["LOADTEST_USERS_FILE"]).read_text()
            .splitlines() if line.strip()]
SESSIONS_FILE = Path(os.environ["LOADTEST_SESSIONS"])
SESSIONS = json.loads(SESSIONS_FILE.read_text()) if SESSIONS_FILE.exists() else {}
PROJECT = os.environ["LOADTEST_PROJECT"]
PHASE = os.environ.get("LOADTEST_PHASE", "p")
RECORD = os.environ["LOADTEST_RECORD"]
THINK = tuple(float(x) for x in os.environ.get("LOADTEST_THINK", "0.5-1.5").split("-"))
PEOPLE = int(os.environ.get("LOADTEST_PEOPLE", "1"))
DURATION = float(os.environ.get("LOADTEST_DURATION", "60"))
STEPS = ("base", "source", "target", "network", "billing", "node")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_URL = re.compile(r"/submissions/(\d+)/$")
DRAFT_URL = re.compile(r"/drafts/(\d+)/source/$")

_user_numbers = itertools.count()
saved: dict[int, dict] = {}  # draft pk -> what was accepted last, by path ("user", "name" too)
submitted: dict[int, int] = {}  # draft pk -> submission pk the person was sent to
server_errors: list[str] = []
# Everyone logs in first (the hasher is slow on purpose: 50 log-ins take the two web workers
# tens of seconds); the DURATION seconds of walking start when the last one is in.
logged_in = Event()
window = {"people in": 0, "people done": 0, "start": 0.0, "end": 0.0}


def typed_values(user: int, n: int) -> dict[str, dict[str, str]]:
    """What person `user` types on each step of their n-th task (the API page's example task,
    made unique: the lost-draft check reads every value back)."""
    return {
        "base": {"project_id": PROJECT, "base_info.name": f"lt{PHASE}-u{user:03d}-t{n:03d}"},
        "source": {
            "source_endpoint.0.endpoint.ip": f"10.{user}.{n // 250}.{n % 250 + 1}",
            "source_endpoint.0.endpoint.db_port": str(1521 + n % 100),
            "source_endpoint.0.endpoint.db_name": "serviceName.orcl",
            "source_endpoint.0.endpoint.db_user": f"ORA_{user}_{n}",
            "source_endpoint.0.endpoint.db_password": f"src-pw-{user}-{n}-Secret",
        },
        "target": {
            "target_endpoint.0.endpoint.instance_id": "c2c7579bc09c490b9d8009db715aeb0ain14",
            "target_endpoint.0.endpoint.db_user": f"root_{user}",
            "target_endpoint.0.endpoint.db_password": f"tgt-pw-{user}-{n}-Secret",
            "target_endpoint.0.cloud.region": "cn-north-4",
            "target_endpoint.0.cloud.project_id": "9dc8c0f3f74c4dbb23c29cf0318ee561",
            "target_endpoint.0.cloud.az_code": "cn-north-4a,cn-north-4c,cn-north-4g",
            "target_endpoint.0.vpc.vpc_id": "2cb5d364-ae63-4fbb-85b7-7d59f4a88f8f",
            "target_endpoint.0.vpc.subnet_id": "2cb54324-ae63-4fbb-85b7-7d59f4a88f8f",
            "target_endpoint.0.vpc.security_group_id": "039a3s89-665a-43e2-9b4f-bda7d9ee148d",
        },
        "network": {
            "base_info.net_type": "eip",
            "node_info.vpc.vpc_id": "2cb5d364-ae63-4fbb-85b7-7d59f4a88f8f",
            "node_info.vpc.subnet_id": "2cb54324-ae63-4fbb-85b7-7d59f4a88f8f",
        },
        "billing": {},
        "node": {"node_info.spec.node_type": "medium"},
    }


class StepRefused(Exception):
    pass


class WizardUser(HttpUser):
    host = HOSTS[0]

    def on_start(self):
        self.number = next(_user_numbers)
        self.client.base_url = HOSTS[self.number % len(HOSTS)]
        self.origin = self.client.base_url
        self.client.verify = os.environ.get("LOADTEST_CA", True)  # the self-signed certificate
        self.username, password = ACCOUNTS[self.number % len(ACCOUNTS)]
        self.tasks_done = 0
        try:
            if self.username in SESSIONS:  # logged in during an earlier phase: still in
                self.client.cookies.set("sessionid", SESSIONS[self.username])
            else:
                page = self.get("/login/", "login GET")
                self.post("/login/", "login POST", [("csrfmiddlewaretoken", csrf(page)),
                                                    ("username", self.username),
                                                    ("password", password)], expect="/")
                SESSIONS[self.username] = self.client.cookies.get("sessionid")
        finally:
            window["people in"] += 1
            if window["people in"] == PEOPLE:
                window["start"] = time.time()
                logged_in.set()
        logged_in.wait()

    @task
    def walk_the_wizard(self):
        if time.time() >= window["start"] + DURATION:  # time is up: a new task is not begun
            window["people done"] += 1
            if window["people done"] == PEOPLE:
                gevent.spawn(self.environment.runner.quit)
            raise StopUser
        n, self.tasks_done = self.tasks_done, self.tasks_done + 1
        values = typed_values(self.number, n)
        try:
            home = self.get("/drafts/", "drafts GET")
            self.post("/drafts/new/", "new task POST", [("csrfmiddlewaretoken", csrf(home))],
                      expect="/drafts/new/")
            draft = None  # created by Base info's Next
            expected = {"user": self.username}
            for step in STEPS:
                url = f"/drafts/{draft}/{step}/" if draft else "/drafts/new/"
                page = self.get(url, f"{step} GET")
                if step == "source":  # Save, then carry on from the page it shows again
                    self.post(url, f"{step} POST save", filled(page, values[step], "save"),
                              expect=url)
                    expected.update(values[step])
                    saved[draft] = dict(expected)
                    page = self.get(url + "?saved=1", f"{step} GET")
                location = self.post(url, f"{step} POST next",
                                     filled(page, values[step], "next"),
                                     expect=f"/drafts/{draft}/" if draft else DRAFT_URL)
                draft = draft or int(DRAFT_URL.search(location).group(1))
                expected.update(values[step])
                saved[draft] = dict(expected)
            review = self.get(f"/drafts/{draft}/review/", "review GET")
            location = self.post(f"/drafts/{draft}/review/", "submit POST",
                                 [("csrfmiddlewaretoken", csrf(review))], expect=SUBMISSION_URL)
            submitted[draft] = int(SUBMISSION_URL.search(location).group(1))
            self.get(location, "submission GET")
            window["end"] = time.time()
        except StepRefused:
            return  # counted as a failure of that request; the person starts a new task

    # --- requests, as a browser sends them ---------------------------------------------------

    def think(self):
        gevent.sleep(random.uniform(*THINK))

    def get(self, path: str, name: str) -> str:
        self.think()
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                fail(response, f"HTTP {response.status_code} {response.error or ''}".strip())
                raise StepRefused
            return response.text

    def post(self, path: str, name: str, fields: list[tuple[str, str]], *, expect) -> str:
        """POST as multipart/form-data; the answer must redirect where `expect` says (a
        prefix, or a pattern); returns the redirect's path."""
        self.think()
        body, content_type = encode_multipart_formdata(fields)
        headers = {"Content-Type": content_type, "Referer": self.origin + path}
        with self.client.post(path, data=body, headers=headers, name=name,
                              allow_redirects=False, catch_response=True) as response:
            location = urlsplit(response.headers.get("Location", "")).path
            wanted = (expect.search(location) if isinstance(expect, re.Pattern)
                      else location.startswith(expect))
            if response.status_code != 302 or not wanted:
                problem = re.findall(r'class="invalid-feedback"[^>]*>([^<]+)', response.text)
                fail(response, f"HTTP {response.status_code} to {location or '-'} "
                               f"{'; '.join(problem[:3])}".strip())
                raise StepRefused
            return location


def csrf(page: str) -> str:
    match = CSRF.search(page)
    return match.group(1) if match else ""


def filled(page: str, values: dict[str, str], action: str) -> list[tuple[str, str]]:
    """The step form's fields as the page rendered them, with the person's values typed in
    (a radio button or a select not yet set is added), and the button pressed."""
    fields = [(name, values.get(name, value)) for name, value in form_fields(page)]
    present = {name for name, _ in fields}
    fields += [(name, value) for name, value in values.items() if name not in present]
    return [*fields, ("_action", action)]


def fail(response, why: str):
    if response.status_code >= 500:
        server_errors.append(f"{response.request.method} {response.request.path_url}: "
                             f"{response.status_code}")
    response.failure(why)


@events.quitting.add_listener
def write_record(environment, **_):
    SESSIONS_FILE.write_text(json.dumps(SESSIONS))
    Path(RECORD).write_text(json.dumps({
        "saved": {str(k): v for k, v in saved.items()},
        "submitted": {str(k): v for k, v in submitted.items()},
        "server_errors": server_errors,
        "window": window,
    }))
