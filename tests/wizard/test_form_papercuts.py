"""The papercuts on the wizard's step forms (issue #13), over the test client: what a person
sees after pressing a button, posting the form as the page rendered it."""

import html
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drsui.wizard.services import draft_create, draft_from_body
from drsui.wizard.steps import STEP_SLUGS
from tests.contract.bodies import (
    VALID_BODIES,
    full_body,
    mysql_migration_body,
    mysql_sync_body,
    period_body,
    rediscluster_body,
)
from tests.contract.test_contract_robustness import ALL_LEAVES, json_values, replaced
from tests.properties import examples
from tests.wizard.page_form import form_data
from tests.wizard.wizard_client import step_url

pytestmark = pytest.mark.django_db

TAGS = "base_info.tags"
SHARDS = "source_endpoint.0.endpoint.ip"


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _press(client, draft, step, page, action, **typed):
    """Post the form as `page` shows it, with `typed` filled in, by the button `action`."""
    data = form_data(page) | {name: [value] for name, value in typed.items()}
    data["_action"] = [action]
    return _page(client.post(step_url(draft, step), data))


def _inputs(page: str, prefix: str) -> list[str]:
    return re.findall(rf'<input[^>]*\bname="({re.escape(prefix)}\.[^"]*)"', page)


# --- "Add" while the last row is empty --------------------------------------------------------
def test_add_tags_adds_a_row_while_the_last_one_is_empty(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    page = _page(client_in.get(step_url(draft, "base")))
    page = _press(client_in, draft, "base", page, f"add:{TAGS}")
    assert _inputs(page, TAGS) == [f"{TAGS}.0.key", f"{TAGS}.0.value"]
    page = _press(client_in, draft, "base", page, f"add:{TAGS}")  # row 1 still empty
    assert _inputs(page, TAGS) == [f"{TAGS}.{i}.{cell}" for i in (0, 1) for cell in
                                   ("key", "value")]
    page = _press(client_in, draft, "base", page, f"add:{TAGS}", **{f"{TAGS}.1.key": "env"})
    assert len(_inputs(page, TAGS)) == 6  # the filled row kept, one more empty row
    assert 'value="env"' in page


def test_add_tags_at_the_most_says_why_there_is_no_more(client_in, demo_user, project):
    body = full_body()
    body["job"]["base_info"]["tags"] = [{"key": f"k{i}", "value": "v"} for i in range(19)]
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    page = _page(client_in.get(step_url(draft, "base")))
    assert f'value="add:{TAGS}"' in page and "No more can be added" not in page
    page = _press(client_in, draft, "base", page, f"add:{TAGS}")  # the 20th
    assert f'value="add:{TAGS}"' not in page
    assert "No more can be added: at most 20." in page


def test_add_a_row_adds_a_shard_while_the_last_one_is_empty(client_in, demo_user, project):
    body = rediscluster_body()
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    page = _page(client_in.get(step_url(draft, "source")))
    shown = len(_inputs(page, SHARDS))
    page = _press(client_in, draft, "source", page, f"add:{SHARDS}")
    assert len(_inputs(page, SHARDS)) == shown + 1
    page = _press(client_in, draft, "source", page, f"add:{SHARDS}")  # the new one left empty
    assert len(_inputs(page, SHARDS)) == shown + 2


# --- the error summary's links ----------------------------------------------------------------
def _summary_links(page: str) -> list[str]:
    summary = re.search(r'<div[^>]*id="error-summary".*?</ul>', page, re.S)
    return re.findall(r'href="#([^"]*)"', summary[0]) if summary else []


def _assert_links_resolve(page: str):
    ids = set(re.findall(r'\bid="([^"]*)"', page))
    for target in _summary_links(page):
        assert target in ids, f"the error summary links to #{target}, which the page lacks"


def test_the_summary_link_of_21_tags_leads_to_the_tags(client_in, demo_user, project):
    body = full_body()
    body["job"]["base_info"]["tags"] = [{"key": f"k{i}", "value": "v"} for i in range(21)]
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    page = _page(client_in.get(step_url(draft, "base")))
    assert "At most 20 tags" in page
    assert "f-base_info-tags" in _summary_links(page)
    _assert_links_resolve(page)


def _storable(value) -> bool:
    """JSON a draft can hold (an import refuses the rest: infinities, NUL characters)."""
    try:
        return "\\u0000" not in json.dumps(value, allow_nan=False)
    except ValueError:
        return False


API_NOTE = re.compile(r"written as a string|\((?:[a-z]+_[a-z0-9_]+|ip|id)\)")


def _field_messages(page: str) -> list[tuple[list[str], list[str]]]:
    """(errors, help texts) under each field of the page."""
    found = []
    for block in re.findall(r'<div id="[^"]*-desc" class="small">(.*?)\n</div>', page, re.S):
        errors = re.findall(r'<div class="text-danger">(.*?)</div>', block, re.S)
        helps = re.findall(r'<div class="text-body-secondary">(.*?)</div>', block, re.S)
        found.append(([html.unescape(e) for e in errors], [html.unescape(h) for h in helps]))
    cells = re.findall(r'<div class="invalid-feedback" id="[^"]*-err">(.*?)</div>', page, re.S)
    return found + [([html.unescape(e)], []) for e in cells]


def _assert_errors_in_the_fields_words(page: str):
    for errors, helps in _field_messages(page):
        for error in errors:
            assert not API_NOTE.search(error), error
            for help_text in helps:
                said = help_text.rstrip(".")
                assert said not in error and error.rstrip(".") not in help_text, (error, help_text)


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(leaf=st.sampled_from(ALL_LEAVES), new=json_values.filter(_storable),
       step=st.sampled_from(STEP_SLUGS[:-1]))
def test_every_step_of_a_bad_body_links_its_errors_and_says_them_in_the_fields_words(
        client_in, demo_user, project, leaf, new, step):
    name, path = leaf
    body = replaced(VALID_BODIES[name](), path, new)
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    page = _page(client_in.get(step_url(draft, step)))  # a step passed shows its problems
    _assert_links_resolve(page)
    _assert_errors_in_the_fields_words(page)


# --- expired_days: cleared, and left out where it has no effect (R-03, R-42) ------------------
EXPIRED = "base_info.expired_days"


def test_expired_days_can_be_cleared_and_stays_empty(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    page = _page(client_in.get(step_url(draft, "base")))
    page = _press(client_in, draft, "base", page, "update", **{EXPIRED: "30"})
    draft.refresh_from_db()
    assert draft.job["base_info"]["expired_days"] == "30"
    page = _press(client_in, draft, "base", page, "update", **{EXPIRED: ""})
    draft.refresh_from_db()
    assert "expired_days" not in draft.job["base_info"]  # DRS takes 14
    page = _page(client_in.get(step_url(draft, "base")))
    field = re.search(rf'<input[^>]*name="{EXPIRED}"[^>]*>', page)[0]
    assert 'value=""' in field and 'placeholder="14"' in field


def test_yearly_billing_takes_expired_days_out_and_the_review_has_no_warning(
        client_in, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=mysql_sync_body(), project=project)
    assert draft.job["base_info"]["expired_days"] == "14"
    page = _page(client_in.get(step_url(draft, "billing")))
    page = _press(client_in, draft, "billing", page, "update",
                  **{"base_info.charging_mode": "period"})
    assert "Removed: Stop abnormal task after (expired_days), not used with" in page
    draft.refresh_from_db()
    assert "expired_days" not in draft.job["base_info"]
    review = _page(client_in.get(step_url(draft, "review")))
    assert "R-42" not in review and "expired_days" not in review
    base = _page(client_in.get(step_url(draft, "base")))  # not asked for while yearly/monthly
    assert 'name="base_info.expired_days"' in base.split('id="group-more"')[-1]


# --- errors in the field's words, not repeating the help ---------------------------------------
PORT = "source_endpoint.0.endpoint.db_port"


def test_a_bad_port_on_an_oracle_form_says_the_limit_once_in_the_fields_words(
        client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)  # Oracle → GaussDB, the first scenario
    draft.furthest_step = "source"
    draft.save()
    page = _page(client_in.get(step_url(draft, "source")))
    page = _press(client_in, draft, "source", page, "next", **{
        "source_endpoint.0.endpoint_type": "offline", "source_endpoint.0.endpoint.ip": "10.0.0.9",
        PORT: "99999", "source_endpoint.0.endpoint.db_name": "ORCL",
        "source_endpoint.0.endpoint.db_user": "system"})
    block = re.search(r'<div id="f-source_endpoint-0-endpoint-db_port-desc".*?\n</div>', page,
                      re.S)[0]
    assert "Port must be a whole number from 1 to 65535." in block
    assert "3306" not in block and "string" not in block
    assert "1–65535." not in block  # the help, said by the error already
    password = re.search(r'<div id="f-source_endpoint-0-endpoint-db_password-desc".*?\n</div>',
                         page, re.S)[0]
    assert "Password is required." in password and "(db_password)" not in password
    _assert_errors_in_the_fields_words(page)


def test_a_bad_task_name_is_said_once_with_its_label(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    page = _page(client_in.get(step_url(draft, "base")))
    page = _press(client_in, draft, "base", page, "next", **{
        "base_info.name": "1x", EXPIRED: "5"})
    name = re.search(r'<div id="f-base_info-name-desc".*?\n</div>', page, re.S)[0]
    assert "Task name must be 4–50 characters" in name
    assert name.count("starting with a letter") == 1
    days = re.search(r'<div id="f-base_info-expired_days-desc".*?\n</div>', page, re.S)[0]
    assert "Enter a whole number of days from 14 to 100." in days
    assert "string" not in days and "14–100 days" not in days
    _assert_errors_in_the_fields_words(page)


# --- shards, read-only values, node sizes, a count reset ----------------------------------------
def test_each_shard_is_a_group_of_its_own_named_by_its_number(client_in, demo_user, project):
    body = full_body()
    shards = body["job"]["source_endpoint"][0]["endpoint"]["source_sharding"]
    shards.append({**shards[0], "ip": "10.0.0.12"})  # two shards behind the source
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    page = _page(client_in.get(step_url(draft, "source")))
    path = "source_endpoint.0.endpoint.source_sharding"
    groups = re.findall(r'<div class="row-line row-group" role="group" aria-labelledby="([^"]*)">'
                        r'(.*?)Remove</button>', page, re.S)
    assert len(groups) == 2
    for index, (title_id, inside) in enumerate(groups):
        assert re.search(rf'id="{title_id}">Shard {index + 1}</div>', inside)
        assert {int(n) for n in re.findall(rf'name="{re.escape(path)}\.(\d+)\.', inside)} == {
            index}
    tags = _page(client_in.get(step_url(draft, "base")))
    assert "row-group" not in tags  # a tag is one line: key and value


def test_the_certificate_name_and_checksum_look_read_only(client_in, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=full_body(), project=project)
    page = _page(client_in.get(step_url(draft, "source")))
    for name in ("ssl_cert_name", "ssl_cert_check_sum"):
        tag = re.search(rf'<input[^>]*name="source_endpoint.0.ssl.{name}"[^>]*>', page)[0]
        classes = re.search(r'class="([^"]*)"', tag)[1].split()
        assert "readonly" in tag and "form-control-plaintext" in classes
        assert "form-control" not in classes  # no input box: nothing to type in
    host = re.search(r'<input[^>]*name="source_endpoint.0.endpoint.ip"[^>]*>', page)[0]
    assert "form-control-plaintext" not in host


def test_node_sizes_are_described(client_in, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=mysql_sync_body(), project=project)
    page = _page(client_in.get(step_url(draft, "node")))
    select = re.search(r'<select[^>]*name="node_info.spec.node_type".*?</select>', page, re.S)[0]
    assert re.findall(r">([^<]+)</option>", select) == [
        "Micro (extra small)", "Small", "Medium", "High (large)"]
    assert "vCPUs and memory" in page
    migration = draft_from_body(owner=demo_user, body=mysql_migration_body(), project=project)
    page = _page(client_in.get(step_url(migration, "node")))
    assert 'value="High (large)" readonly' in page  # the only size offered
    assert "run on high (large) only" in page


def test_nine_months_then_yearly_says_the_count_was_reset(client_in, demo_user, project):
    body = period_body()
    body["job"]["period_order"]["period_num"] = 9
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    page = _page(client_in.get(step_url(draft, "billing")))
    page = _press(client_in, draft, "billing", page, "update",
                  **{"period_order.period_type": "3"})
    assert "Number of periods was reset: “9” is not offered with your change." in page
    assert 'id="error-summary"' not in page  # a note, not an error
    draft.refresh_from_db()
    assert draft.job["period_order"] == {"period_type": 3, "period_num": 1, "is_auto_renew": 0}
    page = _press(client_in, draft, "billing", page, "update",
                  **{"period_order.period_num": "2"})
    assert "was reset" not in page  # a choice offered: nothing to say
