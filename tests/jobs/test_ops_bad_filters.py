"""Ops filters no database can hold are ignored and said so, never a 500 (issue #10, item 5)."""

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

TOO_LARGE = "9" * 20  # beyond any database integer


@pytest.fixture
def ops_client(client, ops_user):
    client.force_login(ops_user)
    return client


@pytest.mark.parametrize("params,ignored", [
    ({"date_to": "9999-12-31"}, "date_to (Enter a day from 1970-01-01 to 9998-12-31.)"),
    ({"date_from": "0001-01-01"}, "date_from (Enter a day from 1970-01-01 to 9998-12-31.)"),
    ({"project": TOO_LARGE}, "project (Ensure this value is less than or equal to "),
    ({"user": TOO_LARGE}, "user (Ensure this value is less than or equal to "),
], ids=lambda v: str(v))
def test_the_dashboard_and_its_csv_ignore_what_no_row_can_match(ops_client, seed, params,
                                                               ignored):
    seed(3, name="kept")
    response = ops_client.get(reverse("ops_dashboard"), params)
    assert response.status_code == 200
    assert "Ignored: " + ignored in response.text
    assert response.context["page"].paginator.count == 3  # the filter is not applied
    export = ops_client.get(reverse("ops_dashboard_csv"), params)
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(rows) == 3


@pytest.mark.parametrize("params,ignored", [
    ({"submission": TOO_LARGE}, "submission (Ensure this value is less than or equal to "),
    ({"submission": "abc"}, "submission (Enter a whole number.)"),
    ({"q": "a\x00b"}, "q (Null characters are not allowed.)"),
], ids=lambda v: str(v))
def test_the_audit_trail_ignores_what_no_row_can_match_and_says_so(ops_client, seed, params,
                                                                  ignored):
    seed(2, name="kept")
    response = ops_client.get(reverse("ops_audit"), params)
    assert response.status_code == 200
    assert "Ignored: " + ignored in response.text
