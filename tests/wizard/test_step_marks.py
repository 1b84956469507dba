"""The step list's ✓ / ! marks follow every save: a save on one step that breaks or fixes
another step's part shows on the next page, and with a re-render (htmx) at once."""

import html
import re

import pytest

from drsui.wizard.services import draft_from_body
from tests.contract.bodies import oracle_body
from tests.wizard.page_form import form_data
from tests.wizard.wizard_client import step_url

pytestmark = pytest.mark.django_db

CLUSTER = "migration:rediscluster-to-gaussredis"
SOURCE_IP = "source_endpoint.0.endpoint.ip"


def marks(page: str) -> dict[str, str]:
    """{step title: "✓", "!" or ""} as the step list shows them."""
    found = {}
    for item in re.findall(r'<li class="step step-\w+">(.*?)</li>', page, re.S):
        text = html.unescape(re.sub(r"<[^>]+>", " ", item))
        title = re.sub(r"^\s*\d+\s+|\s*(✓|●|!|\(needs attention\))\s*", " ", text).strip()
        found[" ".join(title.split())] = ("!" if "needs attention" in text
                                          else "✓" if "✓" in text else "")
    return found


def press(client, draft, step, action, headers=None, **changes):
    """Post the step as its page shows it, with `changes`, pressing `action`."""
    data = form_data(client.get(step_url(draft, step)).content.decode())
    data.update({k: [v] for k, v in changes.items()})
    data["_action"] = [action]
    return client.post(step_url(draft, step), data, headers=headers or {})


@pytest.fixture
def draft(demo_user, project):
    """The Oracle example, complete: every step passed and valid."""
    return draft_from_body(owner=demo_user, body=oracle_body(), project=project)


def test_a_save_that_breaks_and_then_fixes_another_step_updates_its_mark(client_in, draft):
    assert marks(client_in.get(step_url(draft, "base")).content.decode())[
        "Source endpoint"] == "✓"
    # A Redis Cluster source lists its shards as host:port: the Oracle host is not one.
    response = press(client_in, draft, "base", "save",
                     **{"base_info.engine_type": CLUSTER})
    assert marks(client_in.get(response.url).content.decode())["Source endpoint"] == "!"

    response = press(client_in, draft, "source", "goto:base",
                     **{f"{SOURCE_IP}.0": "10.0.0.1:6379"})
    assert marks(client_in.get(response.url).content.decode())["Source endpoint"] == "✓"


def test_a_re_render_sends_the_marks_with_the_form(client_in, draft):
    response = press(client_in, draft, "base", "update", headers={"HX-Request": "true"},
                     **{"base_info.engine_type": CLUSTER})
    page = response.content.decode()
    assert 'id="step-form-body"' in page and "<html" not in page  # only the parts swapped
    assert re.search(r'<nav [^>]*id="wizard-steps"[^>]*hx-swap-oob="true"', page)
    assert marks(page)["Source endpoint"] == "!"
