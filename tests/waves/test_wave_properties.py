"""A row's draft is the template with that row's cells applied, and nothing else: for any
valid template (every engine pair) and any cells (empty, odd text, numbers), the draft that
wave_rows_save stores is contract.rows.row_apply of the wave's template, derived — its body
and its secrets — and saving the same rows again changes no draft and adds no row."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drsui import contract as c
from drsui.contract import rows as wave_rows
from drsui.waves.services import wave_create, wave_rows_save
from drsui.wizard.services import draft_from_body
from tests.contract.bodies import VALID_BODIES
from tests.contract.strategies import valid_bodies
from tests.properties import examples

pytestmark = pytest.mark.django_db

# What a cell may hold: nothing, what a column usually holds, numbers, and any text.
_CELL = st.one_of(
    st.just(""),
    st.sampled_from(["10.0.0.1", "3306", "root", "true", "no", "0", "-1", " 7 ", "******",
                     "null", "é 中文", '"${x}"']),
    st.integers(-10**6, 10**12).map(str),
    st.text(max_size=20),
)
# A name: unique in its rows, so that each row is found again when saved again (without NUL,
# which a cell drops: a name of NULs alone is no name).
_NAME = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00"),
                min_size=1, max_size=70)
_TEMPLATES = st.sampled_from(sorted(VALID_BODIES)).map(lambda key: VALID_BODIES[key]()) | (
    valid_bodies())


@st.composite
def _rows(draw, paths):
    names = draw(st.lists(_NAME, min_size=1, max_size=3, unique_by=str.strip))
    rows = []
    for name in names:
        row = {path: draw(_CELL) for path in paths if path != wave_rows.NAME_PATH}
        row[wave_rows.NAME_PATH] = name
        rows.append(row)
    return rows


def _expected(wave, row):
    job, secrets = wave_rows.row_apply(wave.template_job, wave.template_secrets(), row)
    c.derive(job)
    return {"job": job}, secrets


def _stored(wave):
    return [(row.draft.body, row.draft.secrets())
            for row in wave.rows.select_related("draft").order_by("position")]


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(template_body=_TEMPLATES, data=st.data())
def test_a_row_s_draft_is_the_template_with_its_cells_and_saving_again_changes_nothing(
        demo_user, project, template_body, data):
    template = draft_from_body(owner=demo_user, body=template_body, project=project)
    wave = wave_create(owner=demo_user, template=template)
    rows = data.draw(_rows(wave.paths))

    assert wave_rows_save(wave=wave, rows=rows).created == len(rows)
    stored = _stored(wave)
    assert stored == [_expected(wave, row) for row in rows]

    saved = wave_rows_save(wave=wave, rows=rows)
    assert (saved.created, saved.updated) == (0, len(rows))
    assert _stored(wave) == stored


def test_a_password_cell_of_stars_keeps_the_stored_password(demo_user, project):
    """A file made from the JSON lines export shows each password as ******: uploaded again,
    it changes no password."""
    body = VALID_BODIES["mysql_sync"]()
    template = draft_from_body(owner=demo_user, body=body, project=project)
    wave = wave_create(owner=demo_user, template=template)
    password = "source_endpoint.0.endpoint.db_password"
    wave_rows_save(wave=wave, rows=[{wave_rows.NAME_PATH: "task-1", password: "row-pw-1"}])
    wave_rows_save(wave=wave, rows=[{wave_rows.NAME_PATH: "task-1", password: c.MASK}])
    assert wave.rows.get().draft.secrets()[password] == "row-pw-1"
