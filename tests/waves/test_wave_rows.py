"""A wave's rows: the template with each row's values, as drafts; checked by the contract."""

import pytest

from drsui import contract as c
from drsui.contract import rows as wave_rows
from drsui.errors import ApplicationError
from drsui.waves.selectors import wave_rows_checked
from drsui.waves.services import wave_create, wave_row_save, wave_rows_save
from tests.waves.wave_bodies import SOURCE, TARGET, TEMPLATE_TARGET_PASSWORD, template_body


def _row(n, **cells):
    row = {"base_info.name": f"wave-task-{n:02d}", f"{SOURCE}.ip": f"10.0.0.{n}",
           f"{SOURCE}.db_port": "1521", f"{SOURCE}.db_user": "ORACLE_USER",
           f"{SOURCE}.db_password": f"pw-{n}", f"{TARGET}.instance_id": f"{n:02d}" * 16}
    row.update(cells)
    return row


def test_the_proposal_varies_the_name_the_source_address_and_login_and_the_target():
    job = template_body()["job"]
    assert wave_rows.proposed_paths(job) == [
        "base_info.name", f"{SOURCE}.ip", f"{SOURCE}.db_port", f"{SOURCE}.db_user",
        f"{SOURCE}.db_password", f"{TARGET}.instance_id"]


def test_a_cell_takes_the_json_type_of_its_field_and_bad_text_stays_text():
    assert wave_rows.value_from_text("base_info.multi_write", "TRUE") is True
    assert wave_rows.value_from_text("base_info.multi_write", "maybe") == "maybe"
    assert wave_rows.value_from_text("period_order.period_num", "3") == 3
    assert wave_rows.value_from_text(f"{SOURCE}.db_port", "3306") == "3306"  # a string
    assert wave_rows.path_problem("source_endpoint.0.endpoint") != ""
    assert wave_rows.path_problem("base_info.nmae") != ""


def test_rows_become_drafts_of_the_template_with_their_values(template, demo_user):
    wave = wave_create(owner=demo_user, template=template)
    saved = wave_rows_save(wave=wave, rows=[_row(1), _row(2)])
    assert (saved.created, saved.updated) == (2, 0)
    first = wave.rows.order_by("position").first().draft
    assert first.name == "wave-task-01" and first.owner == demo_user
    assert c.get_path(first.job, f"{SOURCE}.ip") == "10.0.0.1"
    assert first.secrets() == {f"{SOURCE}.db_password": "pw-1", f"{TARGET}.db_password":
                               TEMPLATE_TARGET_PASSWORD}
    assert [r.valid for r in wave_rows_checked(wave)] == [True, True]


def test_a_bad_cell_is_reported_on_its_column_with_its_rule(template, demo_user):
    wave = wave_create(owner=demo_user, template=template)
    wave_rows_save(wave=wave, rows=[_row(1, **{f"{SOURCE}.db_port": "port"}), _row(2)])
    bad, good = wave_rows_checked(wave)
    assert list(bad.problems) == [f"{SOURCE}.db_port"]
    assert [v.rule for v in bad.problems[f"{SOURCE}.db_port"]] == ["R-28"]
    assert bad.cells[f"{SOURCE}.db_port"] == "port"  # what was typed is kept
    assert good.valid


def test_an_upload_again_updates_the_rows_it_names_and_keeps_unsent_passwords(
        template, demo_user):
    wave = wave_create(owner=demo_user, template=template)
    wave_rows_save(wave=wave, rows=[_row(1, **{f"{SOURCE}.db_port": "port"}), _row(2)])
    saved = wave_rows_save(wave=wave, rows=[_row(1, **{f"{SOURCE}.db_password": ""}), _row(3)])
    assert (saved.created, saved.updated) == (1, 1)
    assert [r.draft.name for r in wave.rows.order_by("position")] == [
        "wave-task-01", "wave-task-02", "wave-task-03"]
    first = wave_rows_checked(wave)[0]
    assert first.valid and first.row.draft.secrets()[f"{SOURCE}.db_password"] == "pw-1"


def test_two_rows_of_one_name_are_told_on_the_name_cell(template, demo_user):
    wave = wave_create(owner=demo_user, template=template)
    wave_rows_save(wave=wave, rows=[_row(1), _row(1, **{f"{SOURCE}.ip": "10.9.9.9"})])
    assert [list(r.problems) for r in wave_rows_checked(wave)] == [["base_info.name"]] * 2


def test_a_grid_edit_keeps_what_the_wizard_changed_in_the_draft(template, demo_user):
    wave = wave_create(owner=demo_user, template=template)
    wave_rows_save(wave=wave, rows=[_row(1)])
    row = wave.rows.get()
    draft = row.draft
    c.set_path(draft.body["job"], "base_info.description", "changed in the wizard")
    draft.save()
    wave_row_save(row=row, values={f"{SOURCE}.ip": "10.1.1.1"})
    draft.refresh_from_db()
    assert c.get_path(draft.job, "base_info.description") == "changed in the wizard"
    assert c.get_path(draft.job, f"{SOURCE}.ip") == "10.1.1.1"


def test_a_column_that_is_no_field_is_refused(template, demo_user):
    with pytest.raises(ApplicationError, match="base_info.nmae"):
        wave_create(owner=demo_user, template=template, paths=["base_info.nmae"])
