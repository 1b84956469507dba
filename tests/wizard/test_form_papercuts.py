"""The papercuts on the wizard's step forms (issue #13), over the test client: what a person
sees after pressing a button, posting the form as the page rendered it."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drsui.wizard.services import draft_create, draft_from_body
from drsui.wizard.steps import STEP_SLUGS
from tests.contract.bodies import VALID_BODIES, full_body, mysql_sync_body, rediscluster_body
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


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(leaf=st.sampled_from(ALL_LEAVES), new=json_values, step=st.sampled_from(STEP_SLUGS[:-1]))
def test_every_summary_link_leads_to_an_element_of_the_page(client_in, demo_user, project,
                                                           leaf, new, step):
    name, path = leaf
    body = replaced(VALID_BODIES[name](), path, new)
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    page = _page(client_in.get(step_url(draft, step)))  # a step passed shows its problems
    _assert_links_resolve(page)


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
    assert "Removed, as your change no longer uses them: Stop abnormal task after " \
           "(expired_days)" in page
    draft.refresh_from_db()
    assert "expired_days" not in draft.job["base_info"]
    review = _page(client_in.get(step_url(draft, "review")))
    assert "R-42" not in review and "expired_days" not in review
    base = _page(client_in.get(step_url(draft, "base")))  # not asked for while yearly/monthly
    assert 'name="base_info.expired_days"' in base.split('id="group-more"')[-1]
