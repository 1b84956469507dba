"""The JSON panel marks the part of the body the current step edits (the page scrolls it to
the top: tests/browser/test_layout.py), and still reads as the body."""

import html
import json
import re

import pytest

from drsui.wizard.services import draft_from_body
from tests.contract.bodies import full_body
from tests.wizard.wizard_client import post, step_url

pytestmark = pytest.mark.django_db


def _panel(page: str) -> str:
    return re.search(r'<pre id="json-body"[^>]*>(.*?)</pre>', page, re.S).group(1)


def _owned(panel: str) -> list[str]:
    """The first line of each marked part."""
    return [html.unescape(part).split("\n")[0]
            for part in re.findall(r'<span class="json-owned">(.*?)</span>', panel, re.S)]


def _as_text(panel: str) -> str:
    return html.unescape(re.sub(r"</?span[^>]*>", "", panel))


@pytest.fixture
def draft(demo_user, project):
    draft = draft_from_body(owner=demo_user, body=full_body(), project=project)
    draft.furthest_step = "review"
    draft.save()
    return draft


def test_each_step_marks_its_own_part(client_in, draft):
    network = _panel(client_in.get(step_url(draft, "network")).content.decode())
    assert _owned(network) == ['"net_type": "eip",', '"vpc": {', '"public_ip_list": [']
    node = _panel(client_in.get(step_url(draft, "node")).content.decode())
    assert _owned(node) == ['"node_info": {']
    assert json.loads(_as_text(node))["job"]["node_info"]["spec"]["node_type"] == "small"
    review = _panel(client_in.get(step_url(draft, "review")).content.decode())
    assert _owned(review) == []


def test_a_typing_preview_marks_it_too(client_in, draft):
    preview = post(client_in, draft, "source", {
        "source_endpoint.0.endpoint.ip": "10.9.9.9"}, action="preview").content.decode()
    assert _owned(_panel(preview)) == ['"source_endpoint": [']
    assert '"10.9.9.9"' in _as_text(_panel(preview))
