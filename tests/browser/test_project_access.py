"""Who may use which cloud project (#15), in a browser: Base info offers only the projects of
the person's teams (the demo team's two sandbox projects, not another team's)."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from drsui.wizard.models import CloudProject

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_base_info_offers_only_the_teams_projects(wizard, sandbox_project):
    team_b = CloudProject.objects.create(
        name="Team B", region="eu-west-101", project_id="b" * 32,
        drs_endpoint="http://127.0.0.1:9/x", iam_endpoint="http://127.0.0.1:9/x")
    team_b.groups.add(Group.objects.create(name="team-b"))
    signed = CloudProject.objects.get(name="Sandbox AK/SK")

    wizard.new_task()

    expect(wizard.field("project_id")).to_have_value(str(sandbox_project.pk))
    assert wizard.options("project_id") == ["", str(sandbox_project.pk), str(signed.pk)]
