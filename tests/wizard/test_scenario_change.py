"""A scenario change hides nothing: from a body of one engine pair using every field it may
hold, the scenario is changed on Base info (no JavaScript: the step list's Review is pressed
with the new scenario chosen). Every value the body then holds is on its step's page, as an
input or under "Other fields in the body", and in its step's section of the review; what the
change took out is named on the page, with the reason."""

import copy
import functools
import html
import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drsui import contract as c
from drsui.contract.paths import get_path
from drsui.wizard.services import draft_clone, draft_from_body
from drsui.wizard.steps import STEPS, step_for_path
from tests.contract.bodies import VALID_BODIES, example_body
from tests.contract.strategies import valid_bodies
from tests.properties import examples
from tests.wizard.page_form import form_data
from tests.wizard.test_field_table import SAMPLES, _body, _trial
from tests.wizard.wizard_client import step_url

pytestmark = pytest.mark.django_db

SCENARIOS = [f"{job_type}:{engine}" for job_type, engine in c.SCENARIOS]
DERIVED = {"db_type", "endpoint_role", "endpoint_name"}  # set by drsui (R-20…R-23)
KEPT_AS_GIVEN = {"status", "role"}  # read-only, never typed


def full_body(scenario: str) -> dict:
    """A valid body of `scenario` holding every field the contract accepts there (its first
    direction and locations, yearly/monthly billing), each with a sample value: an object's
    fields are tried all at once, then all but one, then one by one."""
    job_type, engine = scenario.split(":")
    direction = c.directions_for(engine)[0]
    job = _body(job_type, engine, direction,
                *(c.endpoint_types_for_side(engine, direction, side)[0]
                  for side in ("source", "target")), True)
    groups: dict[str, list[tuple[str, object]]] = {}
    for pattern, kind in c.shape_paths():
        path, last = pattern.replace("*", "0"), pattern.rsplit(".", 1)[-1]
        if kind not in ("obj", "list") and last not in DERIVED | KEPT_AS_GIVEN:
            groups.setdefault(path.rpartition(".")[0], []).append(
                (path, True if kind == "bool" else SAMPLES.get(last, "x")))
    for fields in groups.values():
        tries = [fields] + [fields[:i] + fields[i + 1:] for i in range(len(fields))]
        for subset in tries + [[f] for f in fields]:
            trial = job
            for path, value in subset:
                trial = _trial(trial, path, value)
            if c.validate({"job": trial}) == []:
                job = trial
                if subset in tries:
                    break
    return {"job": job}


_full_body = functools.cache(full_body)


def leaves(node, path=""):
    if isinstance(node, dict | list) and node:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        return [leaf for key, value in items
                for leaf in leaves(value, f"{path}.{key}" if path else str(key))]
    return [path]


def _covers(name: str, path: str) -> bool:
    return name == path or name.startswith(path + ".") or path.startswith(name + ".")


def _on_step_page(client, draft, step) -> set[str]:
    """The names of the step form's inputs (a rows field's with no row: the field's), and
    the paths listed under Other fields."""
    page = client.get(step_url(draft, step)).content.decode()
    form = page[page.index('<form id="step-form"'):page.index("</form>", page.index(
        '<form id="step-form"'))]
    names = set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', form))
    names |= set(re.findall(r'name="_present" value="([^"]+)"', form))
    others = re.search(r'id="group-others".*?</ul>', form, re.S)
    listed = re.findall(r'<li class="mb-1" id="other-\d+"><code>([^<]+)</code>',
                        others[0]) if others else []
    return names | {html.unescape(p) for p in listed}


def _review_rows(client, draft) -> dict[str, list[tuple[str, str]]]:
    """{step title: [(API name, shown value)]} as the review's summary shows them."""
    page = client.get(step_url(draft, "review")).content.decode()
    sections = {}
    for title, table in re.findall(
            r'<h3 class="h6 mb-0 me-auto">([^<]+)</h3>.*?<tbody>(.*?)</tbody>', page, re.S):
        sections[html.unescape(title)] = [
            (html.unescape(api), html.unescape(shown)) for api, shown in re.findall(
                r'<code class="api">([^<]*)</code></th><td>(.*?)</td>', table, re.S)]
    return sections


def change_scenario(client, draft, scenario):
    """Base info as its page shows it, with `scenario` chosen, sent by the step list's
    Review (no re-render in between)."""
    data = form_data(client.get(step_url(draft, "base")).content.decode())
    data["base_info.engine_type"] = [scenario]
    data["_action"] = ["goto:review"]
    return client.post(step_url(draft, "base"), data)


def hidden_values(client, draft) -> list[tuple[str, str]]:
    """(where, path) of each value of the draft's body (secrets included) that its step's
    page or the review does not show."""
    draft.refresh_from_db()
    paths = set(leaves(draft.job)) | set(draft.secrets())
    if "base_info.job_type" in paths:  # the scenario input's other half
        paths = paths - {"base_info.job_type"} | {"base_info.engine_type"}
    shown = {s.slug: _on_step_page(client, draft, s.slug) for s in STEPS[:-1]}
    review = _review_rows(client, draft)
    # An empty object or list holds no value for the summary to list (the review's JSON
    # shows it); its step page must still show it.
    empty = {path for path in paths if isinstance(get_path(draft.job, path), dict | list)}
    hidden = []
    for path in sorted(paths):
        if path.rsplit(".", 1)[-1] in DERIVED:
            continue
        step = step_for_path(path)
        if not any(_covers(name, path) for name in shown[step.slug]):
            hidden.append((step.title, path))
        if path in empty:
            continue
        names = set(path.split(".")) | ({"job_type"} if path == "base_info.engine_type"
                                        else set())
        if not any((names & set(api.split(" + ")) and value) or _covers(api, path)
                   for api, value in review[step.title]):
            hidden.append(("Review", path))
    return hidden


@pytest.mark.parametrize(("start", "to"), list(itertools.permutations(SCENARIOS, 2)))
def test_after_a_scenario_change_every_value_sent_is_shown(client_in, demo_user, project,
                                                           start, to):
    body = copy.deepcopy(_full_body(start))
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    assert change_scenario(client_in, draft, to).status_code in (200, 302)
    draft.refresh_from_db()
    assert c.get_path(draft.job, "base_info.engine_type") == to.split(":")[1]
    assert hidden_values(client_in, draft) == []


@settings(max_examples=examples(24), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=valid_bodies(), to=st.sampled_from(SCENARIOS))
def test_after_any_scenario_change_every_value_sent_is_shown(client_in, demo_user, project,
                                                             body, to):
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    change_scenario(client_in, draft, to)
    assert hidden_values(client_in, draft) == []


def _note(page: str) -> str:
    found = re.search(r'id="removed-note">([^<]*)<', page)
    return html.unescape(found[1]) if found else ""


def test_a_copy_of_the_api_pages_example_turned_into_mysql_names_the_service_name(
        client_in, demo_user, project):
    draft = draft_clone(owner=demo_user, body=example_body(), project=project)
    data = form_data(client_in.get(step_url(draft, "base")).content.decode())
    data.update({"base_info.engine_type": ["sync:mysql-to-mysql"], "_action": ["update"]})
    page = client_in.post(step_url(draft, "base"), data).content.decode()
    assert _note(page) == "Removed: Service name (db_name), not used for MySQL."
    draft.refresh_from_db()
    assert "db_name" not in draft.job["source_endpoint"][0]["endpoint"]
    assert hidden_values(client_in, draft) == []


def test_a_change_on_another_step_names_the_field_it_changed(client_in, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=VALID_BODIES["full"](), project=project)
    data = form_data(client_in.get(step_url(draft, "source")).content.decode())
    data.pop("source_endpoint.0.ssl.ssl_link")  # SSL unticked
    data["_action"] = ["update"]
    page = client_in.post(step_url(draft, "source"), data).content.decode()
    assert _note(page) == ("Removed: Certificate name (ssl_cert_name), Checksum (SHA-256) "
                           "(ssl_cert_check_sum), Certificate file (ssl_cert_key), not used "
                           "with Enable SSL: No.")
