import pytest

from drsui.wizard.services import draft_from_body
from tests.waves.wave_bodies import template_body


@pytest.fixture
def template(db, demo_user, project):
    """A draft of the API page's example with both passwords, in the demo user's project."""
    return draft_from_body(owner=demo_user, body=template_body(), project=project)
