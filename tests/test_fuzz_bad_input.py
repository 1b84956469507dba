"""Fuzzing the portal over Django's test client: whatever a signed-in person (or an ops user)
sends, the answer is never a 5xx (issue #10, item 5). The test client raises any exception a
view lets out, so hypothesis shows the request that caused it."""

import json
import os

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drsui.jobs.models import Submission
from drsui.jobs.services.submit import submission_create
from drsui.wizard.fields import fields_of
from drsui.wizard.models import Draft
from drsui.wizard.services import draft_from_body
from drsui.wizard.steps import STEP_SLUGS, STEPS
from tests.contract.bodies import oracle_body

pytestmark = pytest.mark.django_db

def fuzz(examples: int):
    """`examples` runs each, in `make test` (FUZZ_SCALE=20 in the environment searches longer)."""
    return settings(max_examples=int(examples * float(os.environ.get("FUZZ_SCALE", 1))),
                    deadline=None, suppress_health_check=[
                        HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                        HealthCheck.data_too_large])


# Text as a browser may send it: any Unicode but lone surrogates (a form cannot carry them),
# NUL included; numbers of every odd kind; and very long strings.
unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
odd_numbers = st.sampled_from([
    "0", "-1", "1.5", "1e400", "-1e400", "NaN", "inf", "0x1F", "٣", "1_000", " 7 ", "+3",
    "9" * 20, "-" + "9" * 20, "18446744073709551616", "65536", "00012", "1,5"])
known = st.sampled_from([
    "", " ", "on", "off", "true", "1", "******", "sync:oracle-to-gaussdbv5", "period", "3",
    "offline", "cloud", "ecs", "high", "single", "ha", "up", "down", "2099-01-01T00:00",
    "9999-12-31T23:59", "0001-01-01T00:00", "1970-01-01", "mysql-to-mysql"])
values = st.one_of(
    unicode_text, odd_numbers, known,
    unicode_text.map(lambda t: t + "\x00" + t),
    st.sampled_from([1_000, 70_000]).map(lambda n: "x" * n),
)


def _step_inputs(step: str) -> list[str]:
    """Every input name a step's form may hold: fields, rows cells and list items."""
    names = []
    for f in fields_of(step):
        names.append(f.path)
        for i in (0, 1, 31):
            names += [f"{f.path}.{i}.{s.path}" for s in f.subfields] or [f"{f.path}.{i}"]
    return names


ALL_INPUTS = sorted({name for step in STEP_SLUGS for name in _step_inputs(step)})
targets = st.one_of(st.sampled_from(ALL_INPUTS + list(STEP_SLUGS)), unicode_text,
                    st.sampled_from(ALL_INPUTS).map(lambda p: p + ".99999999999999999999"),
                    st.sampled_from(["", ".", "..", "zz", "job", "base_info.-1", "0"]))
actions = st.one_of(
    st.sampled_from(["next", "save", "back", "preview", "update", "", "nope"]),
    st.builds(lambda verb, target: f"{verb}:{target}",
              st.sampled_from(["add", "remove", "drop", "goto", "update", "x"]), targets))


# A name the test client can send (Django's parser cleans what a browser sends anyway).
file_names = unicode_text.filter(lambda n: n not in ("", ".", "..") and not set(n) & set("/\\"))


@pytest.fixture
def person(client, django_user_model, project, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # made often
    settings.DRSUI_SUBMITS_PER_MINUTE = 1_000_000  # submissions are made for every example
    user = django_user_model.objects.create_user("fuzz", password="fuzz-pass-1")
    user.groups.add(Group.objects.get_or_create(name="ops")[0])  # the dashboard too
    client.force_login(user)
    return user


def _open_draft(owner) -> Draft:
    """A draft every step of which is open and not held by a submission."""
    draft = Draft.objects.filter(owner=owner).order_by("pk").first() or draft_from_body(
        owner=owner, body=oracle_body(), project=None)
    Submission.objects.filter(draft=draft).delete()
    Draft.objects.filter(pk=draft.pk).update(furthest_step=STEPS[-1].slug)
    draft.refresh_from_db()
    return draft


@fuzz(60)
@given(step=st.sampled_from(STEP_SLUGS), data=st.data())
def test_no_post_to_a_step_is_a_5xx(client, person, step, data):
    draft = _open_draft(person)
    names = data.draw(st.lists(st.one_of(st.sampled_from(_step_inputs(step) or ["x"]),
                                         st.sampled_from(["_tz", "project_id", "_rows_unsaved"]),
                                         unicode_text), max_size=8), label="names")
    payload = {name: data.draw(values, label=name) for name in names}
    payload["_action"] = data.draw(actions, label="_action")
    payload["_version"] = data.draw(st.one_of(st.just(str(draft.version)), odd_numbers),
                                    label="_version")
    payload["_present"] = data.draw(st.lists(st.sampled_from(
        [f.path for f in fields_of(step)] or ["x"]) | unicode_text, max_size=12),
        label="_present")
    if step in ("source", "target") and data.draw(st.booleans(), label="certificate"):
        size = data.draw(st.sampled_from([0, 10, 256 * 1024 + 1]), label="certificate size")
        name = data.draw(file_names, label="file name")
        payload[f"{step}_endpoint.0.ssl.ssl_cert_key"] = SimpleUploadedFile(
            name, b"\x00-" * (size // 2))
    headers = {"HX-Request": "true"} if data.draw(st.booleans(), label="htmx") else {}
    response = client.post(reverse("draft_step", args=[draft.pk, step]), payload,
                           headers=headers)
    assert response.status_code < 500


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              unicode_text, unicode_text.map(lambda t: t + "\x00")),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.one_of(unicode_text, st.sampled_from(["job", "base_info", "name", "db_password",
                                                 "source_endpoint", "endpoint", "tags"])),
        inner, max_size=4),
    max_leaves=20)


def _body_text(draw_kind, value, depth) -> str:
    if draw_kind == "job":
        return json.dumps({"job": value})
    if draw_kind == "any":
        return json.dumps(value)
    if draw_kind == "deep":
        return '{"job": {"zz": ' + '{"zz": ' * depth + "1" + "}" * depth + "}}"
    if draw_kind == "deep lists":
        return '{"job": ' + "[" * depth + "]" * depth + "}"
    return value if isinstance(value, str) else str(value)


@fuzz(50)
@given(kind=st.sampled_from(["job", "any", "deep", "deep lists", "text"]), value=json_values,
       depth=st.integers(0, 3000), project_id=st.one_of(st.none(), odd_numbers, unicode_text),
       as_file=st.booleans())
def test_no_import_is_a_5xx(client, person, kind, value, depth, project_id, as_file):
    text = _body_text(kind, value, depth)
    payload = {} if project_id is None else {"project_id": project_id}
    if as_file:
        payload["file"] = SimpleUploadedFile("body.json", text.encode("utf-8", "replace"))
    else:
        payload["body"] = text
    response = client.post(reverse("draft_import"), payload)
    assert response.status_code < 500
    if response.status_code == 302:  # the new draft opens
        assert client.get(response.url).status_code < 500


query = st.one_of(unicode_text, odd_numbers, known, unicode_text.map(lambda t: t + "\x00"))


@fuzz(30)
@given(params=st.dictionaries(st.sampled_from(["q", "sort", "page"]), query, max_size=3))
def test_no_search_of_my_drafts_is_a_5xx(client, person, params):
    _open_draft(person)
    assert client.get(reverse("draft_list"), params).status_code < 500


@fuzz(30)
@given(page=st.sampled_from(["ops_dashboard", "ops_dashboard_csv", "ops_audit"]),
       params=st.dictionaries(st.sampled_from(
           ["q", "status", "engine", "project", "user", "date_from", "date_to", "sort", "page",
            "action", "submission"]), query, max_size=5),
       htmx=st.booleans())
def test_no_ops_filter_is_a_5xx(client, person, page, params, htmx):
    response = client.get(reverse(page), params, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code < 500
    if response.streaming:
        b"".join(response.streaming_content)  # the CSV's rows are read as they are sent


@fuzz(40)
@given(action=st.sampled_from(["rename", "clone", "delete", "delete page", "export", "resume",
                                "submission export", "submission clone"]),
       value=values, fmt=st.one_of(st.sampled_from(["json", "curl", "terraform", ""]), query))
def test_no_draft_action_is_a_5xx(client, person, project, action, value, fmt):
    draft = _open_draft(person)
    if action == "rename":
        response = client.post(reverse("draft_rename", args=[draft.pk]), {"name": value})
    elif action == "clone":
        response = client.post(reverse("draft_clone", args=[draft.pk]), {"extra": value})
    elif action == "delete":
        response = client.post(reverse("draft_delete", args=[draft.pk]), {"extra": value})
    elif action == "delete page":
        response = client.get(reverse("draft_delete", args=[draft.pk]))
    elif action == "export":
        response = client.get(reverse("draft_export", args=[draft.pk]), {"format": fmt})
    elif action.startswith("submission"):
        valid = draft_from_body(owner=person, body=oracle_body(), project=project)
        submission = submission_create(draft=valid, user=person)  # queued: nothing is sent
        if action == "submission export":
            response = client.get(reverse("submission_export", args=[submission.pk]),
                                  {"format": fmt})
        else:
            response = client.post(reverse("submission_clone", args=[submission.pk]),
                                   {"extra": value})
    else:
        response = client.get(reverse("draft_resume", args=[draft.pk]))
    assert response.status_code < 500
    if response.status_code == 302:
        assert client.get(response.url).status_code < 500
