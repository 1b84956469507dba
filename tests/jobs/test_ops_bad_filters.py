"""Ops filters no database can hold are ignored and said so, never a 500 (issue #10, item 5)."""

import csv
import io
import re

import pytest
from django.urls import reverse

from tests.form_page import field_error

pytestmark = pytest.mark.django_db

TOO_LARGE = "9" * 20  # beyond any database integer


@pytest.fixture
def ops_client(client, ops_user):
    client.force_login(ops_user)
    return client


@pytest.mark.parametrize("params,field,message", [
    ({"date_to": "9999-12-31"}, "f-date_to", "Enter a day from 1970-01-01 to 9998-12-31."),
    ({"date_from": "0001-01-01"}, "f-date_from", "Enter a day from 1970-01-01 to 9998-12-31."),
    ({"project": TOO_LARGE}, "f-project", "Ensure this value is less than or equal to "),
    ({"user": TOO_LARGE}, "f-user", "Ensure this value is less than or equal to "),
], ids=lambda v: str(v))
def test_the_dashboard_and_its_csv_ignore_what_no_row_can_match(ops_client, seed, params, field,
                                                               message):
    seed(3, name="kept")
    response = ops_client.get(reverse("ops_dashboard"), params)
    assert response.status_code == 200
    assert field_error(response.text, field).startswith(message)
    assert re.search(rf'Ignored: <a [^>]*href="#{field}">', response.text)
    assert response.context["page"].paginator.count == 3  # the filter is not applied
    export = ops_client.get(reverse("ops_dashboard_csv"), params)
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(rows) == 3


def test_a_bad_filter_the_form_sends_through_htmx_loads_the_page_that_shows_it(ops_client, seed):
    seed(1, name="kept")
    url = reverse("ops_dashboard")
    htmx = {"HX-Request": "true", "HX-Trigger": "ops-filters"}
    response = ops_client.get(url, {"date_to": "9999-12-31"}, headers=htmx)
    assert response.headers["HX-Redirect"] == url + "?date_to=9999-12-31"
    poll = ops_client.get(url, {"date_to": "9999-12-31"},
                          headers={**htmx, "HX-Trigger": "ops-table"})
    assert poll.status_code == 200 and "kept" in poll.text and "<form" not in poll.text
    page = ops_client.get(url, {"date_to": "9999-12-31"})
    assert 'hx-get="' + url not in page.text.split('id="ops-table"')[0]  # a plain form now


@pytest.mark.parametrize("params,field,message", [
    ({"submission": TOO_LARGE}, "a-submission", "Ensure this value is less than or equal to "),
    ({"submission": "abc"}, "a-submission", "Enter a whole number."),
    ({"q": "a\x00b"}, "a-q", "Null characters are not allowed."),
], ids=lambda v: str(v))
def test_the_audit_trail_ignores_what_no_row_can_match_and_says_so(ops_client, seed, params,
                                                                  field, message):
    seed(2, name="kept")
    response = ops_client.get(reverse("ops_audit"), params)
    assert response.status_code == 200
    assert field_error(response.text, field).startswith(message)
    assert re.search(rf'Ignored: <a [^>]*href="#{field}">', response.text)
