"""The wizard over Django's test client: steps save the body, validate, and refuse stale saves."""

import re
import time

import pytest
from django.urls import reverse

from drsui.jobs.models import Submission
from drsui.wizard.models import Draft
from drsui.wizard.services import draft_create, draft_from_body
from tests.contract.bodies import oracle_body
from tests.wizard.wizard_client import post, step_url

pytestmark = pytest.mark.django_db


def test_new_task_proposes_a_valid_name_and_opens_base_info(client_in, project):
    response = client_in.post(reverse("draft_new"))  # the "New task" button
    assert response.url == reverse("draft_new")
    page = client_in.get(response.url).content.decode()
    name = re.search(r'name="base_info.name"[^>]* value="(DRS-[a-z0-9]{6})"', page).group(1)
    assert f'<span id="task-name">{name}</span>' in page
    assert "<code class=\"api\">name</code>" in page
    assert not Draft.objects.exists()  # created by the first save


def test_next_with_a_bad_name_keeps_the_value_and_names_the_field(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    response = post(client_in, draft, "base", {
        "project_id": str(project.pk), "base_info.engine_type": "sync:oracle-to-gaussdbv5",
        "base_info.name": "1 bad name!", "base_info.expired_days": "14"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="1 bad name!"' in page
    assert 'id="f-base_info-name"' in page and 'aria-invalid="true"' in page
    draft.refresh_from_db()
    assert draft.job["base_info"]["name"] == "1 bad name!"  # saved, not lost
    assert draft.furthest_step == "base"  # but not advanced


def test_next_with_valid_base_info_opens_the_source_step(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    response = post(client_in, draft, "base", {
        "project_id": str(project.pk), "base_info.engine_type": "sync:mysql-to-mysql",
        "base_info.job_direction": "down", "base_info.task_type": "FULL_TRANS",
        "base_info.name": "orders-sync", "base_info.expired_days": "30",
        "base_info.is_open_fast_clean": "on"})
    assert response.status_code == 302
    assert response.url == step_url(draft, "source")
    draft.refresh_from_db()
    base = draft.job["base_info"]
    assert (base["job_type"], base["engine_type"]) == ("sync", "mysql-to-mysql")
    assert base["job_direction"] == "down" and base["is_open_fast_clean"] is True
    assert base["expired_days"] == "30"


def test_a_stale_save_is_refused_and_shows_the_typed_values(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    stale_version = draft.version
    post(client_in, draft, "base", {"base_info.name": "first-tab"}, action="save")
    response = client_in.post(step_url(draft, "base"), {
        "_action": "save", "_version": str(stale_version), "_present": ["base_info.name"],
        "base_info.name": "second-tab"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed elsewhere" in page and 'value="second-tab"' in page
    draft.refresh_from_db()
    assert draft.job["base_info"]["name"] == "first-tab"


def test_passwords_are_stored_encrypted_and_never_rendered(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    draft.furthest_step = "source"
    draft.save()
    post(client_in, draft, "source", {
        "source_endpoint.0.endpoint_type": "offline",
        "source_endpoint.0.endpoint.db_password": "s3cret-Value-42"}, action="save")
    draft.refresh_from_db()
    assert "s3cret-Value-42" not in str(draft.body)
    assert "s3cret-Value-42" not in draft.secrets_encrypted
    assert draft.secrets() == {"source_endpoint.0.endpoint.db_password": "s3cret-Value-42"}
    page = client_in.get(step_url(draft, "source")).content.decode()
    assert "s3cret-Value-42" not in page
    assert "Set — leave empty to keep it." in page


def test_a_preview_shows_what_was_typed_as_json_and_saves_nothing(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    draft.furthest_step = "source"
    draft.save()
    draft.refresh_from_db()
    version = draft.version
    response = post(client_in, draft, "source", {
        "source_endpoint.0.endpoint_type": "offline",
        "source_endpoint.0.endpoint.ip": "10.1.2.3",
        "source_endpoint.0.endpoint.db_password": "s3cret-Value-42"}, action="preview")
    assert response.status_code == 200
    panel = response.content.decode()
    assert panel.startswith('<pre id="json-body"') and "<form" not in panel
    assert "&quot;ip&quot;: &quot;10.1.2.3&quot;" in panel
    assert "&quot;db_password&quot;: &quot;******&quot;" in panel
    assert "s3cret-Value-42" not in panel
    draft.refresh_from_db()
    assert draft.version == version and draft.secrets() == {}
    assert "10.1.2.3" not in str(draft.body)


def test_another_users_draft_is_404_for_every_verb(client, django_user_model, project):
    owner = django_user_model.objects.create_user("owner", password="x-pass-123")
    intruder = django_user_model.objects.create_user("intruder", password="x-pass-123")
    draft = draft_create(owner=owner, project=project)
    client.force_login(intruder)
    assert client.get(step_url(draft, "base")).status_code == 404
    assert client.post(step_url(draft, "base"), {"_action": "save"}).status_code == 404


def test_steps_ahead_of_the_furthest_reached_redirect_back(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    response = client_in.get(step_url(draft, "node"))
    assert response.status_code == 302 and response.url == step_url(draft, "base")


def test_the_wizard_needs_a_login(client, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    response = client.get(step_url(draft, "base"))
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize("scenario, shown", [
    ("migration:redis-to-gaussredis", True), ("migration:mysql-to-mysql", False)])
def test_only_a_redis_source_says_its_user_may_be_empty(client_in, demo_user, project, scenario,
                                                        shown):
    draft = draft_create(owner=demo_user, project=project)
    post(client_in, draft, "base", {"base_info.engine_type": scenario}, action="next")
    page = client_in.get(step_url(draft, "source")).content.decode()
    assert 'name="source_endpoint.0.endpoint.db_user"' in page
    assert ("May be empty for password-only AUTH." in page) is shown


def test_turning_ssl_off_forgets_the_uploaded_certificate(client_in, demo_user, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = draft_create(owner=demo_user, project=project)
    draft.furthest_step = "source"
    draft.save()
    ssl = "source_endpoint.0.ssl"
    cert = SimpleUploadedFile("ca.pem", b"-----BEGIN CERTIFICATE-----\nMIIB\n")
    post(client_in, draft, "source", {"source_endpoint.0.endpoint_type": "offline",
                                      f"{ssl}.ssl_link": "on"}, action="update")
    post(client_in, draft, "source", {"source_endpoint.0.endpoint_type": "offline",
                                      f"{ssl}.ssl_link": "on", f"{ssl}.ssl_cert_key": cert},
         action="save")
    draft.refresh_from_db()
    assert f"{ssl}.ssl_cert_key" in draft.secrets()
    response = post(client_in, draft, "source", {"source_endpoint.0.endpoint_type": "offline",
                                                 f"{ssl}.ssl_link": ""}, action="save")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.job["source_endpoint"][0]["ssl"] == {"ssl_link": False}
    assert not any(path.startswith(ssl) for path in draft.secrets())


def test_a_period_count_the_new_period_does_not_offer_is_settled_not_refused(
        client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    draft.furthest_step = "billing"
    draft.save()
    billing = {"base_info.charging_mode": "period", "period_order.period_type": "2",
               "period_order.period_num": "9", "period_order.is_auto_renew": ""}
    post(client_in, draft, "billing", billing, action="save")
    # Yearly now; the page still posts the 9 months the person picked before (R-41: 1–3 years).
    response = post(client_in, draft, "billing", {**billing, "period_order.period_type": "3"},
                    action="update")
    page = response.content.decode()
    assert "aria-invalid" not in page
    assert '<option value="1" selected>' in page
    draft.refresh_from_db()
    assert draft.job["period_order"] == {"period_type": 3, "period_num": 1, "is_auto_renew": 0}


def test_next_says_when_a_picked_value_is_no_longer_offered(client_in, demo_user, project):
    """Without JavaScript nothing re-renders between choosing "yearly" and pressing Next."""
    draft = draft_create(owner=demo_user, project=project)
    draft.furthest_step = "billing"
    draft.save()
    response = post(client_in, draft, "billing", {
        "base_info.charging_mode": "period", "period_order.period_type": "3",
        "period_order.period_num": "9", "period_order.is_auto_renew": ""})
    assert response.status_code == 200
    assert "“9” is not offered with the choices above" in response.content.decode()
    draft.refresh_from_db()
    assert draft.job["period_order"]["period_num"] == 1 and draft.furthest_step == "billing"


def test_a_start_time_that_has_passed_is_named_before_anything_is_sent(
        client_in, demo_user, project):
    body = oracle_body()
    body["job"]["base_info"]["start_time"] = str(int(time.time() * 1000) - 60_000)
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    review = client_in.get(step_url(draft, "review")).content.decode()
    assert "Start time must be in the future." in review
    assert re.search(r'type="submit" disabled[^>]*>Submit to DRS', review)
    refused = client_in.post(step_url(draft, "review")).content.decode()
    assert "not valid yet" in refused and not Submission.objects.exists()

    base = client_in.get(step_url(draft, "base")).content.decode()  # a step already passed
    assert re.search(r'id="f-base_info-start_time"[^>]*aria-invalid="true"', base)
    assert "Start time must be in the future." in base


def test_a_field_the_api_does_not_know_can_be_removed_on_its_step(client_in, demo_user, project):
    body = oracle_body()
    body["job"]["base_info"]["colour"] = "red"
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    page = client_in.get(step_url(draft, "base")).content.decode()
    assert 'Unknown field &quot;colour&quot;' in page
    assert 'value="drop:base_info.colour"' in page

    form = {"project_id": str(project.pk),
            "base_info.engine_type": "sync:oracle-to-gaussdbv5",
            "base_info.name": "typed-before-removing", "base_info.expired_days": "14"}
    page = post(client_in, draft, "base", form, action="drop:base_info.colour").content.decode()
    assert 'Unknown field &quot;colour&quot;' not in page
    assert 'value="typed-before-removing"' in page
    draft.refresh_from_db()
    assert "colour" not in draft.body["job"]["base_info"]
    assert draft.body["job"]["base_info"]["name"] == "typed-before-removing"


def test_a_field_no_step_holds_can_be_removed_on_the_review(client_in, demo_user, project):
    body = oracle_body()
    body["job"]["extra"] = {"x": 1}
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    review = client_in.get(step_url(draft, "review")).content.decode()
    assert 'Unknown field &quot;extra&quot;' in review and 'value="drop:extra"' in review

    response = client_in.post(step_url(draft, "review"), {"_action": "drop:extra"})
    assert response.url == step_url(draft, "review")
    draft.refresh_from_db()
    assert "extra" not in draft.body["job"] and not Submission.objects.exists()
    review = client_in.get(step_url(draft, "review")).content.decode()
    assert "problem" not in review and re.search(r'type="submit">Submit to DRS', review)


def test_remove_it_never_takes_a_field_an_input_holds(client_in, demo_user, project):
    body = oracle_body()
    body["job"]["base_info"]["expired_days"] = [14]  # the wrong JSON type, has an input
    draft = draft_from_body(owner=demo_user, body=body, project=project)
    assert 'value="drop:' not in client_in.get(step_url(draft, "base")).content.decode()
    draft.refresh_from_db()
    client_in.post(step_url(draft, "base"), {"_action": "drop:base_info.expired_days",
                                             "_version": str(draft.version)})
    draft.refresh_from_db()
    assert draft.body["job"]["base_info"]["expired_days"] == [14]


def test_unticking_dual_active_takes_the_task_type_back_to_full_incremental(
        client_in, demo_user, project):
    """DR single-active allows only full + incremental (dual-active opens every task type)."""
    draft = draft_create(owner=demo_user, project=project)
    base = {"project_id": str(project.pk), "base_info.name": "Mysql-DR-2",
            "base_info.engine_type": "cloudDataGuard:mysql-to-mysql",
            "base_info.expired_days": "14"}
    post(client_in, draft, "base", base, action="update")
    post(client_in, draft, "base", {**base, "base_info.multi_write": "on",
                                    "base_info.task_type": "FULL_TRANS"}, action="update")
    draft.refresh_from_db()
    assert draft.job["base_info"]["task_type"] == "FULL_TRANS"

    # Unticked, the box re-renders the step: the task type is shown, no longer chosen.
    unticked = {**base, "_action": "update", "_version": str(draft.version),
                "_present": [*base, "base_info.multi_write"]}
    page = client_in.post(step_url(draft, "base"), unticked).content.decode()
    assert 'name="base_info.task_type" value="FULL_INCR_TRANS"' in page
    assert re.search(r'id="f-base_info-task_type" value="Full \+ incremental" readonly', page)
    draft.refresh_from_db()
    assert draft.job["base_info"]["multi_write"] is False
    assert draft.job["base_info"]["task_type"] == "FULL_INCR_TRANS"
    assert post(client_in, draft, "base", base).url == step_url(draft, "source")


def test_a_scenario_change_names_what_it_takes_out(client_in, demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    draft.job["base_info"].update(job_type="sync", engine_type="oracle-to-gaussdbv5")
    draft.furthest_step = "source"
    draft.save()
    post(client_in, draft, "source", {"source_endpoint.0.endpoint_type": "offline",
                                      "source_endpoint.0.endpoint.db_name": "serviceName.orcl"},
         action="save")
    draft.refresh_from_db()
    assert draft.job["source_endpoint"][0]["endpoint"]["db_name"] == "serviceName.orcl"

    response = post(client_in, draft, "base", {"base_info.engine_type": "sync:mysql-to-mysql"},
                    action="update")
    assert "Removed: Service name (db_name), not used for MySQL." in (
        response.content.decode())
    draft.refresh_from_db()
    assert "db_name" not in draft.job["source_endpoint"][0]["endpoint"]
