"""The drafts list names a scenario by its label ("MySQL → MySQL · Real-time synchronization"),
as the Base info select offers it."""

import pytest
from django.urls import reverse

from drsui.wizard.services import draft_from_body
from tests.contract.bodies import mysql_sync_body, oracle_body

pytestmark = pytest.mark.django_db


def test_the_drafts_list_names_each_scenario_by_its_label(client_in, demo_user, project):
    draft_from_body(owner=demo_user, body=mysql_sync_body(), project=project)
    draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    page = client_in.get(reverse("draft_list")).content.decode()
    assert "MySQL → MySQL · Real-time synchronization" in page
    assert "Oracle → GaussDB Distributed · Real-time synchronization" in page
    assert "mysql-to-mysql" not in page and "oracle-to-gaussdbv5" not in page

