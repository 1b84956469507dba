"""The review's summary tables, over the test client: what each row shows for a value."""

import html
import re

import pytest

from drsui.wizard.services import draft_from_body
from tests.contract.bodies import full_body, mysql_migration_body
from tests.wizard.wizard_client import step_url

pytestmark = pytest.mark.django_db


def _review_rows(client, draft) -> dict[str, str]:
    """{api name: shown value} of the review's summary rows."""
    draft.furthest_step = "review"
    draft.save()
    page = client.get(step_url(draft, "review")).content.decode()
    rows = re.findall(r'<code class="api">([^<]*)</code></th><td>(.*?)</td>', page)
    return {api: html.unescape(shown) for api, shown in rows}


def test_tags_read_as_key_equals_value(client_in, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=full_body(), project=project)
    assert _review_rows(client_in, draft)["tags"] == "team=dba; 环境=生产"


def test_choices_read_by_their_labels(client_in, demo_user, project):
    draft = draft_from_body(owner=demo_user, body=full_body(), project=project)
    rows = _review_rows(client_in, draft)
    assert rows["job_type + engine_type"] == "MySQL → MySQL · Real-time synchronization"
    assert rows["task_type"] == "Full + incremental"
    assert rows["node_type"] == "Small"
    assert "Primary node" in rows["public_ip_list"] and "master" not in rows["public_ip_list"]


def test_a_value_no_longer_offered_says_so(client_in, demo_user, project):
    """A migration runs on a high node only (R-51): an imported medium is shown, and said to
    be not offered."""
    body = mysql_migration_body()
    body["job"]["node_info"]["spec"]["node_type"] = "medium"
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    assert _review_rows(client_in, draft)["node_type"] == (
        "Medium (not offered for this scenario)")
