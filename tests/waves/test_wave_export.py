"""A wave's exports: one Terraform resource with for_each over the rows, each row resolving to
what the single task's export says for its draft; JSON lines, a row a line. No secret in
either, and only for those who may open the wave."""

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drsui import contract as c
from drsui.contract import rows as wave_rows
from drsui.waves.export import wave_export_terraform
from drsui.waves.services import wave_create, wave_rows_save
from drsui.wizard.export import _Variables, export_terraform
from drsui.wizard.services import draft_from_body, draft_set_job
from tests.contract.bodies import VALID_BODIES
from tests.properties import examples
from tests.waves.wave_bodies import SOURCE, TARGET, TEMPLATE_TARGET_PASSWORD
from tests.waves.wave_terraform import read_wave, single_as_json, wave_rows_as_json
from tests.wizard.terraform_reader import Ref, with_secrets_as_variables

ODD_NAMES = ['plain-01', 'quote " and ${file("/etc/passwd")} %{ if x }', "back\\slash",
             "中文 任务", "line\u2028sep\x85", 'x" = 1 }\nresource "null_resource" "x" {',
             "null", "for_each", ""]


def _row(n, name=None):
    return {"base_info.name": f"wave-task-{n:02d}" if name is None else name,
            f"{SOURCE}.ip": f"10.0.0.{n}", f"{SOURCE}.db_port": "1521",
            f"{SOURCE}.db_user": "ORACLE_USER", f"{SOURCE}.db_password": f"row-pw-{n}",
            f"{TARGET}.instance_id": f"{n:02d}" * 16}


@pytest.fixture
def wave(template, demo_user):
    wave = wave_create(owner=demo_user, template=template, name="Wave one")
    wave_rows_save(wave=wave, rows=[_row(n, name) for n, name in enumerate(ODD_NAMES, 1)])
    return wave


def _drafts(wave):
    return [row.draft for row in wave.rows.select_related("draft").order_by("position")]


def _single(draft, region="cn-north-4"):
    """(the single task's export of the draft, as JSON; its job as the export must say it)."""
    body = c.body_for_validation(draft.job, draft.secrets())
    like = {"region": region, **with_secrets_as_variables(body["job"])}
    return single_as_json(export_terraform(body, resource_name="task", region=region),
                          like), like


def _assert_rows_resolve_to_their_single_exports(text, drafts, keys, region="cn-north-4"):
    singles = [_single(draft, region) for draft in drafts]
    # what the person gives each map variable for a row: the secrets its draft holds
    given = {key: {_Variables._name(path) + "s" for path in draft.secrets()}
             for key, draft in zip(keys, drafts, strict=True)}
    resolved = wave_rows_as_json(
        text, {key: like for key, (_, like) in zip(keys, singles, strict=True)}, given)
    assert list(resolved) == keys  # in row order
    for key, (single, _) in zip(keys, singles, strict=True):
        assert json.dumps(resolved[key], sort_keys=True, default=repr) == json.dumps(
            single, sort_keys=True, default=repr), key


def test_the_terraform_file_is_one_resource_whose_rows_are_their_drafts(client, demo_user,
                                                                         wave):
    client.force_login(demo_user)
    response = client.get(reverse("wave_export_terraform", args=[wave.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Wave one.tf"'
    text = response.content.decode()
    drafts = _drafts(wave)
    keys = [draft.name or f"row {n}" for n, draft in enumerate(drafts, 1)]
    _assert_rows_resolve_to_their_single_exports(text, drafts, keys)
    read = read_wave(text)
    assert read.resource["base_info"].bodies[0]["name"] == Ref("each.value.base_info_name")
    assert read.resource["node_info"].bodies[0]["spec"].bodies[0] == {"node_type": "medium"}
    # a column's password is one per row, the template's own one for all rows
    assert read.variables == {
        "source_endpoint_db_passwords": {"type": Ref("map(string)"), "sensitive": True},
        "target_endpoint_db_password": {"type": Ref("string"), "sensitive": True}}
    source = read.resource["source_endpoint"].bodies[0]["endpoint"].bodies[0]
    assert source["db_password"] == Ref("var.source_endpoint_db_passwords[each.key]")
    for n in range(1, len(ODD_NAMES) + 1):
        assert f"row-pw-{n}" not in text
    assert TEMPLATE_TARGET_PASSWORD not in text and "template-src-pw" not in text
    assert list(read.rows) == keys  # each odd name a key of local.rows, nothing else


def test_a_row_changed_in_the_wizard_is_exported_as_its_draft_holds_it(demo_user, wave):
    draft = _drafts(wave)[1]
    job = c.copy_json(draft.job)
    c.set_path(job, "base_info.description", "changed in the wizard")
    c.delete_path(job, "base_info.expired_days")
    c.set_path(job, f"{TARGET}.db_password", "other-target-pw")
    draft_set_job(draft=draft, job=job, secrets={**draft.secrets(),
                                                 f"{TARGET}.db_password": "other-target-pw"})
    text = wave_export_terraform(wave, region="cn-north-4")
    drafts = _drafts(wave)
    _assert_rows_resolve_to_their_single_exports(
        text, drafts, [d.name or f"row {n}" for n, d in enumerate(drafts, 1)])
    # the rows' target passwords differ now: one per row, still none in the file
    assert "target_endpoint_db_passwords" in read_wave(text).variables
    assert "other-target-pw" not in text and TEMPLATE_TARGET_PASSWORD not in text


def test_a_row_without_a_password_reads_it_only_if_given(demo_user, wave):
    draft = _drafts(wave)[0]
    secrets = draft.secrets()
    del secrets[f"{SOURCE}.db_password"]
    draft_set_job(draft=draft, job=c.copy_json(draft.job), secrets=secrets)
    text = wave_export_terraform(wave, region="cn-north-4")
    source = read_wave(text).resource["source_endpoint"].bodies[0]["endpoint"].bodies[0]
    assert source["db_password"] == Ref("lookup(var.source_endpoint_db_passwords, each.key, "
                                        "None)")


def test_a_row_of_another_shape_is_left_out_and_said(demo_user, wave):
    draft = _drafts(wave)[0]
    job = c.copy_json(draft.job)
    del job["node_info"]
    draft_set_job(draft=draft, job=job, secrets=draft.secrets())
    text = wave_export_terraform(wave, region="cn-north-4")
    assert text.startswith("# Left out: 1 row whose blocks differ from the other rows' "
                           "(export it from its draft).\n")
    drafts = _drafts(wave)[1:]
    _assert_rows_resolve_to_their_single_exports(
        text, drafts, [d.name or f"row {n}" for n, d in enumerate(drafts, 2)])


@pytest.mark.parametrize("scenario", ["mysql_sync", "mysql_dr", "redis", "rediscluster",
                                      "period", "full"])
def test_every_engine_pair_s_rows_resolve_to_their_single_exports(db, demo_user, project,
                                                                  scenario):
    template = draft_from_body(owner=demo_user, body=VALID_BODIES[scenario](), project=project)
    wave = wave_create(owner=demo_user, template=template)
    rows = []
    for n in range(3):
        row = {path: f"{n}-{path.rpartition('.')[2]}" for path in wave.paths}
        row[wave_rows.NAME_PATH] = f"{scenario} {n}"
        if n == 1:  # an empty cell removes what it holds (a password's: keeps it)
            row = {path: "" if path != wave_rows.NAME_PATH else text
                   for path, text in row.items()}
        rows.append(row)
    wave_rows_save(wave=wave, rows=rows)
    text = wave_export_terraform(wave, region="eu-west-101")
    drafts = _drafts(wave)
    _assert_rows_resolve_to_their_single_exports(text, drafts, [d.name for d in drafts],
                                                 region="eu-west-101")
    for secret in ("s3cret-1", "s3cret-2", "shard-secret-1", "p12-secret"):
        assert secret not in text


def test_json_lines_are_each_row_s_masked_body_in_row_order(client, demo_user, wave):
    client.force_login(demo_user)
    response = client.get(reverse("wave_export_jsonl", args=[wave.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Wave one.jsonl"'
    text = response.content.decode()
    lines = text.splitlines()  # any reader's line breaks: one row a line
    drafts = _drafts(wave)
    assert len(lines) == len(drafts) == len(ODD_NAMES)
    for line, draft in zip(lines, drafts, strict=True):
        body = json.loads(line)
        assert body == c.mask_secrets(c.body_for_validation(draft.job, draft.secrets()))
        assert c.get_path(body["job"], f"{SOURCE}.db_password") == c.MASK
        assert ": " not in line.replace(draft.name, "")  # compact
    assert [json.loads(line)["job"]["base_info"].get("name", "") for line in lines] == ODD_NAMES
    assert "row-pw-" not in text and TEMPLATE_TARGET_PASSWORD not in text


@pytest.mark.parametrize("url_name", ["wave_export_terraform", "wave_export_jsonl"])
def test_only_the_owner_and_ops_get_the_exports(client, django_user_model, demo_user, wave,
                                                url_name):
    url = reverse(url_name, args=[wave.pk])
    assert client.get(url).status_code == 302  # to the login page
    other = django_user_model.objects.create_user("bob", password="bob-pass-1")
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(reverse(url_name, args=[wave.pk + 1000])).status_code == 404
    ops = django_user_model.objects.create_user("olga", password="olga-pass-1")
    ops.groups.add(Group.objects.get_or_create(name="ops")[0])
    client.force_login(ops)
    assert client.get(url).status_code == 200
    client.force_login(demo_user)
    assert client.post(url).status_code == 405


def test_an_empty_wave_exports_an_empty_file_of_rows(client, demo_user, template):
    wave = wave_create(owner=demo_user, template=template, name="../../etc\x1f wave")
    client.force_login(demo_user)
    response = client.get(reverse("wave_export_terraform", args=[wave.pk]))
    assert response["Content-Disposition"] == 'attachment; filename=".._.._etc_ wave.tf"'
    assert read_wave(response.content.decode()).rows == {}
    assert client.get(reverse("wave_export_jsonl", args=[wave.pk])).content == b""


def test_the_comment_of_a_map_variable_is_in_chinese(demo_user, wave):
    with translation.override("zh-hans"):
        text = wave_export_terraform(wave, region="cn-north-4")
    assert text.splitlines()[0] == "# 每行一个值，键为该行在 local.rows 中的名称。"


_CELL = st.one_of(st.just(""), st.text(max_size=12), st.integers(-5, 70000).map(str),
                  st.sampled_from(['"', "\\", "${x}", "%{x}", "\n", "******", "null"]))
_PASSWORD = st.just("") | st.text(max_size=8).map(lambda text: f"pw<{text}>")


@settings(max_examples=examples(30), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cells=st.lists(st.tuples(*[_CELL] * 4, _PASSWORD, _CELL), min_size=1, max_size=4))
def test_any_cells_stay_data_and_each_row_resolves_to_its_single_export(
        demo_user, template, cells):
    wave = wave_create(owner=demo_user, template=template)
    wave_rows_save(wave=wave, rows=[dict(zip(wave.paths, row, strict=True)) for row in cells])
    text = wave_export_terraform(wave, region="cn-north-4")
    drafts = _drafts(wave)
    keys = list(read_wave(text).rows)  # a row's name, made unique and never empty
    assert len(keys) == len(drafts) and "# Left out" not in text
    for key, draft in zip(keys, drafts, strict=True):
        assert key == draft.name or not draft.name or keys.count(draft.name)
    _assert_rows_resolve_to_their_single_exports(text, drafts, keys)
    assert "pw<" not in text
