import itertools

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from drsui import contract as c
from drsui.drs import TOKEN_CACHE
from drsui.jobs.services.clients import drs_client_for
from drsui.sandbox.faults import clear_faults
from drsui.wizard.services import draft_from_body
from tests.contract.bodies import oracle_body

_names = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Tokens and the poll throttles start empty in every test."""
    TOKEN_CACHE.clear()
    cache.clear()
    yield
    TOKEN_CACHE.clear()
    cache.clear()


@pytest.fixture
def ops_user(django_user_model, db):
    user = django_user_model.objects.create_user("olga", password="olga-pass-1")
    user.groups.add(Group.objects.get_or_create(name="ops")[0])
    return user


@pytest.fixture
def other_user(django_user_model, demo_team):
    """Another person of the demo_user's team (the same projects)."""
    user = django_user_model.objects.create_user("bob", password="bob-pass-1")
    user.groups.add(demo_team)
    return user


@pytest.fixture
def make_draft(demo_user):
    """A complete, valid draft (secrets stored encrypted) named uniquely."""

    def make(project, *, owner=None, name=None):
        body = oracle_body()
        body["job"]["base_info"]["name"] = name or f"ops-task-{next(_names):04d}"
        return draft_from_body(owner=owner or demo_user, body=body, project=project)

    return make


@pytest.fixture
def sandbox(sandbox_project):
    """The live server's sandbox: faults cleared before and after; a DRS client on it."""
    clear_faults()
    yield Sandbox(sandbox_project)
    clear_faults()


@pytest.fixture
def live_sandbox(live_sandbox_project):
    """The same on the live server's sandbox: requests run in its threads, over sockets."""
    clear_faults()
    yield Sandbox(live_sandbox_project)
    clear_faults()


class Sandbox:
    def __init__(self, project):
        self.project = project
        self.client = drs_client_for(project)

    def jobs(self, name=None) -> list[dict]:
        return self.client.list_jobs(name=name, limit=1000)["jobs"]


@pytest.fixture
def seed(project, demo_user):
    """seed(n, **fields): n drafts and one submission each, straight into the database."""
    from drsui.jobs.models import Submission, SubmissionBody
    from drsui.wizard.models import Draft

    counter = itertools.count(1)

    def make(n, *, user=None, name="seeded", **fields):
        user = user or demo_user
        body = c.mask_secrets(oracle_body())
        drafts = Draft.objects.bulk_create(
            Draft(owner=user, project=fields.get("project", project),
                  name=f"{name}-{next(counter):05d}", body=body) for _ in range(n))
        defaults = {"project": project, "engine_type": "oracle-to-gaussdbv5",
                    "state": "created", "drs_status": "CONFIGURATION"}
        defaults.update(fields)
        rows = [Submission(draft=d, user=user, name=d.name, **defaults) for d in drafts]
        for i, row in enumerate(rows):
            if row.state == "created" and not row.drs_job_id:
                row.drs_job_id = f"job-{row.draft_id:05d}-{i}jb20x"
            if row.state == "failed":
                row.active = False
        rows = Submission.objects.bulk_create(rows)
        SubmissionBody.objects.bulk_create(SubmissionBody(submission=r, body=body) for r in rows)
        return rows

    return make
