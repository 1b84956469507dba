"""What no input holds is kept, listed and removable; a person's change removes only what it
stops showing them, and names it."""

import json

import pytest
from django.urls import reverse

from drsui.wizard.models import Draft
from drsui.wizard.services import draft_from_body
from tests.contract.bodies import full_body, oracle_body
from tests.wizard.page_form import form_data
from tests.wizard.wizard_client import step_url

pytestmark = pytest.mark.django_db
SOURCE = "source_endpoint.0"


def imported(owner, project, body) -> Draft:
    return draft_from_body(owner=owner, body=body, project=project)


def press(client, draft, step, action, **changes):
    """Post the step as the page renders it, with `changes`, pressing `action`."""
    data = form_data(client.get(step_url(draft, step)).content.decode())
    data.update({k: [v] for k, v in changes.items()})
    data["_action"] = [action]
    return client.post(step_url(draft, step), data)


def test_moving_a_database_with_ssl_into_the_cloud_keeps_what_the_page_still_shows(
        client_in, demo_user, project):
    draft = imported(demo_user, project, full_body())
    page = press(client_in, draft, "source", "update",
                 **{f"{SOURCE}.endpoint_type": "cloud", f"{SOURCE}.endpoint.instance_id": "i-1",
                    f"{SOURCE}.cloud.region": "cn-north-4", f"{SOURCE}.cloud.project_id": "p"})
    draft.refresh_from_db()
    ssl = draft.job["source_endpoint"][0]["ssl"]
    assert ssl["ssl_link"] is True and ssl["ssl_cert_name"] == "ca.pem"
    assert f"{SOURCE}.ssl.ssl_cert_key" in draft.secrets()
    assert "Enable SSL (ssl_link)" not in page.content.decode()  # not named as removed
    # The host the person saw and sent stays too, under More fields.
    assert draft.job["source_endpoint"][0]["endpoint"]["ip"] == "10.0.0.10"


def test_a_secret_whose_input_is_gone_is_listed_masked_and_can_be_removed(
        client_in, demo_user, project):
    draft = imported(demo_user, project, full_body())
    draft.job["source_endpoint"][0]["ssl"] = {"ssl_link": False}  # as an import may hold it
    Draft.objects.filter(pk=draft.pk).update(body={"job": draft.job})
    page = client_in.get(step_url(draft, "source")).content.decode()
    assert f"<code>{SOURCE}.ssl.ssl_cert_key</code> = <code class=\"text-break\">******" in page
    assert "LS0tLS1CRUdJTi" not in page  # the certificate itself never
    press(client_in, draft, "source", f"drop:{SOURCE}.ssl.ssl_cert_key")
    draft.refresh_from_db()
    assert f"{SOURCE}.ssl.ssl_cert_key" not in draft.secrets()


def test_a_key_no_cell_holds_stays_with_its_row_and_can_be_removed(client_in, demo_user, project):
    body = oracle_body()
    body["job"]["base_info"]["tags"][0]["colour"] = "blue"
    draft = imported(demo_user, project, body)
    press(client_in, draft, "base", "save")
    draft.refresh_from_db()
    assert draft.job["base_info"]["tags"] == [{"key": "test", "value": "test", "colour": "blue"}]
    page = press(client_in, draft, "base", "next").content.decode()
    assert "<code>base_info.tags.0.colour</code>" in page and "Unknown field" in page
    press(client_in, draft, "base", "drop:base_info.tags.0.colour")
    draft.refresh_from_db()
    assert draft.job["base_info"]["tags"] == [{"key": "test", "value": "test"}]


def test_an_imported_value_the_page_cannot_show_is_kept_and_reported(
        client_in, demo_user, project):
    body = oracle_body()
    body["job"]["base_info"]["start_time"] = "tomorrow"
    draft = imported(demo_user, project, body)
    page = press(client_in, draft, "base", "next").content.decode()
    assert "Start time must be Unix epoch milliseconds" in page
    draft.refresh_from_db()
    assert draft.job["base_info"]["start_time"] == "tomorrow"


def test_posting_the_page_as_rendered_keeps_spaces_and_line_breaks(client_in, demo_user, project):
    body = oracle_body()
    body["job"]["base_info"]["description"] = "line one\nline two "
    body["job"]["source_endpoint"][0]["endpoint"]["db_user"] = " ORACLE_USER"
    draft = imported(demo_user, project, body)
    for step in ("base", "source"):
        assert press(client_in, draft, step, "save").status_code == 302
    exported = json.loads(client_in.get(
        reverse("draft_export", args=[draft.pk]) + "?format=json").content)
    assert exported["job"]["base_info"]["description"] == "line one\nline two "
    assert exported["job"]["source_endpoint"][0]["endpoint"]["db_user"] == " ORACLE_USER"
