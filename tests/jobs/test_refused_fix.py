"""A submission DRS refused naming a field: its "Fix it" link opens the step with DRS's message
on that field."""

import re

import pytest

from drsui import contract as c
from drsui.jobs.services.submit import submission_create
from tests.wizard.wizard_client import post

pytestmark = pytest.mark.django_db(transaction=True)


def _fix_link(client, submission) -> str:
    page = client.get(f"/submissions/{submission.pk}/").content.decode()
    return re.search(r'href="([^"]+)">Fix it in Base info', page).group(1).replace("&amp;", "&")


def _name_field_errors(page: str) -> list[str]:
    field = page[page.index('id="f-base_info-name"'):]
    field = field[:field.index('<div class="field')] if '<div class="field' in field else field
    return re.findall(r'<div class="text-danger">([^<]*)</div>', field)


def test_fix_it_shows_drs_message_on_the_name(client, sandbox, make_draft, demo_user):
    draft = make_draft(sandbox.project)
    taken = make_draft(sandbox.project, name=draft.name.upper())
    submission_create(draft=taken, user=demo_user)
    refused = submission_create(draft=draft, user=demo_user)
    refused.refresh_from_db()
    assert refused.state == "failed" and refused.error_path == "base_info.name"
    client.force_login(demo_user)

    page = client.get(_fix_link(client, refused)).content.decode()
    assert re.search(r'id="f-base_info-name"[^>]*aria-invalid="true"', page)
    [message] = _name_field_errors(page)
    assert message.startswith(f"DRS refused it ({refused.error_code}): a task named")
    assert "already exists" in message
    assert "Task name</a>: DRS refused it" in page  # the error summary links to it

    # Without the link's mark, and once the name is changed, the step says nothing of it.
    plain = client.get(f"/drafts/{draft.pk}/base/").content.decode()
    assert "DRS refused it" not in plain
    post(client, draft, "base", {"base_info.name": draft.name + "-2"}, action="save")
    assert "DRS refused it" not in client.get(_fix_link(client, refused)).content.decode()


def test_fix_it_of_another_draft_says_nothing_here(client, sandbox, make_draft, demo_user):
    draft = make_draft(sandbox.project)
    other = make_draft(sandbox.project, name=draft.name.upper())
    submission_create(draft=draft, user=demo_user)
    refused = submission_create(draft=other, user=demo_user)
    client.force_login(demo_user)
    page = client.get(f"/drafts/{draft.pk}/base/?refused={refused.pk}").content.decode()
    assert "DRS refused it" not in page
    for junk in ("x", "²", "9" * 5000, "99999999999999999999"):
        assert client.get(f"/drafts/{other.pk}/base/?refused={junk}").status_code == 200


def test_fix_it_for_a_refused_password_says_it_while_one_is_set(
        client, sandbox, make_draft, demo_user):
    draft = make_draft(sandbox.project)
    path = "source_endpoint.0.endpoint.db_password"
    assert path in draft.secrets()
    refused = submission_create(draft=draft, user=demo_user)
    type(refused).objects.filter(pk=refused.pk).update(  # as a refusal DRS might give
        state="failed", active=False, error_code="DRS.10000002", error_path=path,
        error_msg=c.error_msg_format(path, "password too weak"))
    client.force_login(demo_user)
    page = client.get(f"/drafts/{draft.pk}/source/?refused={refused.pk}").content.decode()
    assert "DRS refused it (DRS.10000002): password too weak" in page


def test_a_new_task_with_odd_query_values_is_never_a_5xx(client, demo_user, project):
    client.force_login(demo_user)
    assert client.get("/drafts/new/?refused=1").status_code == 200
    for junk in ("x", "²", "-1", "0", "9" * 5000):
        assert client.get(f"/drafts/new/?network_from={junk}").status_code == 404
