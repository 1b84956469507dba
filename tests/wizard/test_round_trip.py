"""Real bodies in, the same bodies out: import a valid body, press Save on every step as the
page renders it (what a browser would post), export it: the same body comes back, with its
secrets as ****** and the defaults the API assumes written out."""

import copy
import json
from pathlib import Path

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from drsui import contract as c
from drsui.wizard.steps import STEPS
from tests.contract.bodies import VALID_BODIES, example_body
from tests.contract.strategies import valid_bodies
from tests.properties import examples
from tests.wizard.page_form import form_data

pytestmark = pytest.mark.django_db
TERRAFORM_EXAMPLE = "terraform-example-as-sent.json"
EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "contract" / "examples"


def with_api_defaults(body: dict) -> dict:
    """The body as the API reads it: what it assumes when a field is left out."""
    body = copy.deepcopy(body)
    job = body["job"]
    base = job["base_info"]
    base.setdefault("description", "")
    if base.get("enterprise_project_id") is None:  # null means not set
        base["enterprise_project_id"] = "0"
    base.setdefault("charging_mode", "on_demand")
    if "period_order" in job:
        job["period_order"].setdefault("is_auto_renew", 0)
    for entry in job["source_endpoint"] + job["target_endpoint"]:
        if entry["endpoint_type"] != "cloud":  # the console's SSL switch for self-built, off
            entry.setdefault("ssl", {}).setdefault("ssl_link", False)
    if c.readonly_target_allowed(base["engine_type"], base["job_type"], base["job_direction"]):
        job["target_endpoint"][0].setdefault("config", {}).setdefault(
            "is_target_readonly", True)
    return body


def import_body(client, project, body) -> int:
    response = client.post(reverse("draft_import"),
                           {"body": json.dumps(body), "project_id": project.pk})
    assert response.status_code == 302
    return int(response.url.split("/")[2])


def save_every_step(client, draft_id):
    for step in STEPS[:-1]:
        url = reverse("draft_step", args=[draft_id, step.slug])
        page = client.get(url).content.decode()
        data = form_data(page)
        data["_action"] = ["save"]
        response = client.post(url, data)
        assert response.status_code == 302, (step.slug, response.content.decode()[:2000])


def exported(client, draft_id) -> dict:
    url = reverse("draft_export", args=[draft_id]) + "?format=json"
    return json.loads(client.get(url).content)


def leaves(node, path=""):
    if isinstance(node, dict | list) and node:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        return {k: v for key, value in items for k, v in leaves(value, f"{path}.{key}").items()}
    return {path: node}


def assert_round_trip(client, project, body):
    draft_id = import_body(client, project, body)
    save_every_step(client, draft_id)
    got, want = leaves(exported(client, draft_id)), leaves(c.mask_secrets(with_api_defaults(body)))
    assert {p: (got.get(p), want.get(p)) for p in got.keys() | want.keys()
            if got.get(p, "<absent>") != want.get(p, "<absent>")} == {}


@pytest.mark.parametrize("make", list(VALID_BODIES.values()), ids=list(VALID_BODIES))
def test_each_scenario_comes_back_unchanged(client_in, project, make):
    assert_round_trip(client_in, project, make())


@pytest.mark.parametrize("index", [0, 1])
def test_the_api_pages_examples_come_back_unchanged(client_in, project, index):
    body, masked = c.strip_secrets(example_body(index))
    # The page prints its passwords as ******, which an import reads as "not set".
    assert_round_trip(client_in, project, c.merge_secrets(body, {p: "pw-1" for p in masked}))


def test_terraforms_documented_example_comes_back_unchanged(client_in, project):
    """huaweicloud_drs_job_v5's example, as the provider sends it (false flags included)."""
    body = json.loads((EXAMPLES_DIR / TERRAFORM_EXAMPLE).read_text())
    assert c.validate(body) == []
    assert_round_trip(client_in, project, body)


@settings(max_examples=examples(120), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=valid_bodies())
def test_any_valid_body_comes_back_unchanged(client_in, project, body):
    assert c.validate(body) == []
    assert_round_trip(client_in, project, body)
