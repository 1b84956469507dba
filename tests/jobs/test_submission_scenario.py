"""A submission's page names its scenario by its label, as the Base info select offers it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_submission_names_its_scenario_by_its_label(client, demo_user, seed):
    [submission] = seed(1)
    client.force_login(demo_user)
    page = client.get(reverse("submission_detail", args=[submission.pk])).content.decode()
    assert "Oracle → GaussDB Distributed · Real-time synchronization" in page
