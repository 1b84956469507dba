"""A wave in the browser, through Django's test client: started from a draft, rows uploaded
(CSV in UTF-8, with a BOM, in GB18030; XLSX) or typed in the grid, problems on their cells."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drsui import contract as c
from drsui.contract import rows as wave_rows
from drsui.waves.models import Wave, WaveRow
from drsui.waves.services import wave_create, wave_rows_save
from drsui.wizard.models import Draft
from drsui.wizard.services import draft_from_body
from tests.contract.bodies import mysql_migration_body
from tests.properties import examples
from tests.waves.wave_bodies import SOURCE, TARGET, TEMPLATE_TARGET_PASSWORD, template_body

PORT = f"{SOURCE}.db_port"
PASSWORD = f"{SOURCE}.db_password"
COLUMNS = ["base_info.name", f"{SOURCE}.ip", PORT, f"{SOURCE}.db_user", PASSWORD,
           f"{TARGET}.instance_id"]


@pytest.fixture
def wave(template, demo_user):
    return wave_create(owner=demo_user, template=template,
                       paths=[*COLUMNS, "base_info.description"])


@pytest.fixture
def alice(client, demo_user):
    client.force_login(demo_user)
    return client


@pytest.fixture
def bob(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("bob", password="bob-pass-1"))
    return client


def _row(n, **cells):
    row = {"base_info.name": f"wave-task-{n:02d}", f"{SOURCE}.ip": f"10.0.0.{n}",
           PORT: "1521", f"{SOURCE}.db_user": "ORACLE_USER", PASSWORD: f"secret-pw-{n}",
           f"{TARGET}.instance_id": f"{n:02d}" * 16}
    row.update(cells)
    return row


def _csv(rows, columns=COLUMNS, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode(encoding)


def _upload(client, wave, content: bytes, name="rows.csv"):
    return client.post(reverse("wave_upload", args=[wave.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def _drafts(wave):
    return {row.draft.name: row.draft for row in wave.rows.select_related("draft")}


def _input(page: str, marker: str) -> str:
    """The <input ...> tag holding `marker` (e.g. its name="...")."""
    at = page.index(marker)
    return page[page.rindex("<input", 0, at):page.index(">", at) + 1]


def _problems_of(html):
    return html.count("is-invalid")


# --- starting a wave --------------------------------------------------------------------------
def test_the_proposal_is_ticked_and_the_name_always(alice, template):
    page = alice.get(reverse("wave_new", args=[template.pk])).content.decode()
    for path in COLUMNS[1:]:
        assert " checked" in _input(page, f'value="{path}"')
    # a field of the body not proposed is offered unticked
    assert " checked" not in _input(page, 'value="base_info.description"')
    name = _input(page, 'id="col-base_info.name"')
    assert " checked" in name and " disabled" in name
    assert page.count('name="columns"') > 20


def test_starting_a_wave_keeps_the_columns_ticked_and_typed(alice, template, demo_user):
    response = alice.post(reverse("wave_new", args=[template.pk]), {
        "name": "Oracle wave 1", "columns": COLUMNS[1:],
        "other_paths": f"{SOURCE}.db_name"})
    wave = Wave.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "wave_detail", args=[wave.pk])
    assert wave.name == "Oracle wave 1" and wave.owner == demo_user
    assert wave.paths == [*COLUMNS, f"{SOURCE}.db_name"]


def test_a_path_that_is_no_field_is_refused_on_its_input(alice, template):
    response = alice.post(reverse("wave_new", args=[template.pk]), {
        "name": "w", "columns": COLUMNS[1:], "other_paths": "base_info.nmae"})
    page = response.content.decode()
    assert response.status_code == 200 and not Wave.objects.exists()
    field = _input(page, 'id="wave-other_paths"')
    assert "is-invalid" in field and 'value="base_info.nmae"' in field
    assert "base_info.nmae is not a field of the body" in page


@pytest.mark.parametrize(("typed", "message"), [
    ("job.base_info.name", "is not a field of the body"),
    ("base_info", "is not a field of the body"),
    ("source_endpoint.0.endpoint.db_port.0", "is not a field of the body"),
    (f"{SOURCE}.ip".replace(".0.", ".99."), "past the end of the template"),
    ("base_info.na\x00me", "Null characters are not allowed"),
    ("base_info.名字😀", "is not a field of the body"),
    ("base_info." + "n" * 1000, "is not a field of the body"),
])
def test_a_typed_path_that_cannot_be_a_column_starts_no_wave(alice, template, typed, message):
    response = alice.post(reverse("wave_new", args=[template.pk]),
                          {"name": "w", "columns": COLUMNS[1:], "other_paths": typed})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Wave.objects.exists()


def test_a_list_entry_the_template_lacks_yet_is_a_column(alice, template):
    """base_info.tags.0.key: the template has no tags; the row's value makes the first."""
    response = alice.post(reverse("wave_new", args=[template.pk]), {
        "name": "w", "columns": COLUMNS[1:], "other_paths": "base_info.tags.0.key"})
    wave = Wave.objects.get()
    assert response["Location"] == reverse("wave_detail", args=[wave.pk])
    _upload(alice, wave, _csv([{**_row(1), "base_info.tags.0.key": "team"}],
                              columns=[*COLUMNS, "base_info.tags.0.key"]))
    assert c.get_path(wave.rows.get().draft.job, "base_info.tags.0.key") == "team"


def test_a_column_is_named_as_the_wizard_names_it_for_the_templates_engine(
        alice, demo_user, project):
    body = mysql_migration_body()
    body["job"]["source_endpoint"][0]["endpoint"]["db_name"] = "orders"
    mysql = draft_from_body(owner=demo_user, body=body, project=project)
    db_name = f"{SOURCE}.db_name"

    page = alice.get(reverse("wave_new", args=[mysql.pk])).content.decode()
    label = page.split(f'value="{db_name}"')[1].split("</label>")[0]
    assert "Database name" in label and "Service name" not in label

    wave = wave_create(owner=demo_user, template=mysql, paths=["base_info.name", db_name])
    grid = alice.get(reverse("wave_detail", args=[wave.pk])).content.decode()
    assert f"Database name<br><code class=\"api\">{db_name}</code>" in grid


def test_another_persons_draft_starts_no_wave(bob, template):
    assert bob.get(reverse("wave_new", args=[template.pk])).status_code == 404
    assert bob.post(reverse("wave_new", args=[template.pk]),
                    {"name": "x"}).status_code == 404
    assert not Wave.objects.exists()


def test_a_draft_of_a_project_no_longer_granted_starts_no_wave(alice, template, project):
    project.groups.clear()
    response = alice.post(reverse("wave_new", args=[template.pk]),
                          {"name": "x", "columns": COLUMNS[1:]})
    assert response.status_code == 403 and not Wave.objects.exists()
    assert "not granted to your teams" in response.content.decode()


# --- upload -----------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_upload_adds_rows_in_each_encoding_excel_saves(alice, wave, encoding):
    columns = [*COLUMNS, "base_info.description"]
    rows = [_row(1, **{"base_info.description": "华东区 订单库"}), _row(2)]
    response = _upload(alice, wave, _csv(rows, columns, encoding))
    assert response.status_code == 302
    page = alice.get(response["Location"]).content.decode()
    assert "Rows added: 2; rows updated: 0." in page
    drafts = _drafts(wave)
    assert c.get_path(drafts["wave-task-01"].job, "base_info.description") == "华东区 订单库"
    assert drafts["wave-task-02"].secrets()[PASSWORD] == "secret-pw-2"
    assert "华东区 订单库" in page


def test_an_xlsx_upload_reads_numbers_as_typed(alice, wave):
    book = openpyxl.Workbook()
    book.active.append(COLUMNS)
    book.active.append(["xlsx-task", "10.1.1.1", 3306.0, "ORACLE_USER", "xlsx-pw", "ab" * 16])
    book.active.append(["xlsx-task-2", "10.1.1.2", 1521, "ORACLE_USER", None, "cd" * 16])
    out = io.BytesIO()
    book.save(out)
    assert _upload(alice, wave, out.getvalue(), "rows.xlsx").status_code == 302
    drafts = _drafts(wave)
    assert c.get_path(drafts["xlsx-task"].job, PORT) == "3306"
    assert c.get_path(drafts["xlsx-task-2"].job, PORT) == "1521"
    assert drafts["xlsx-task"].secrets()[PASSWORD] == "xlsx-pw"


def _xlsx_broken():
    return b"PK\x03\x04 not really a workbook"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("rows.txt", b"base_info.name\nx\n", "Upload a .csv or .xlsx file."),
    ("rows.csv", b"", "The submitted file is empty."),  # Django says it
    ("rows.csv", b" \r\n", "The file is empty."),
    ("rows.csv", b"base_info.name\n", "The file has a header but no rows."),
    ("rows.csv", _csv([_row(1)], COLUMNS[1:]), "The file has no base_info.name column"),
    ("rows.csv", b"base_info.name,source_endpoint.0.endpoint.ipp\nx,1\n",
     "Not a column of this wave: source_endpoint.0.endpoint.ipp."),
    ("rows.csv", _csv([_row(n) for n in range(1001)]), "more than 1000 rows"),
    ("rows.xlsx", _xlsx_broken(), "The XLSX file cannot be opened"),
    ("rows.csv", _csv([_row(1), _row(2, **{PORT: "9" * 140_000})]),
     "The CSV file cannot be read (line 3): a cell holds more than 131072 characters"),
])
def test_a_bad_file_is_refused_on_its_field_and_nothing_is_kept(alice, wave, name, content,
                                                               message):
    wave_rows_save(wave=wave, rows=[_row(1)])
    drafts_before = Draft.objects.count()
    response = _upload(alice, wave, content, name)
    page = response.content.decode()
    assert response.status_code == 400
    errors = page.split('id="upload-errors"')[1].split("</div></div>")[0]
    assert message in errors.replace("&#x27;", "'")
    assert Draft.objects.count() == drafts_before and wave.rows.count() == 1


def test_a_file_over_5_mb_is_refused(alice, wave):
    content = _csv([_row(1)]) + b"#" * (5 * 1024 * 1024)
    response = _upload(alice, wave, content)
    assert response.status_code == 400 and "larger than 5 MB" in response.content.decode()
    assert not wave.rows.exists()


def _xlsx(rows, columns=COLUMNS) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(columns)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_that_unpacks_to_more_than_50_mb_is_refused_before_it_is_read(alice, wave):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_xlsx([list(_row(1).values())]))) as small, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in small.infolist():
            bomb.writestr(info, small.read(info))
        bomb.writestr("xl/sharedStrings2.xml", b" " * (51 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024  # small to upload
    response = _upload(alice, wave, out.getvalue(), "bomb.xlsx")
    assert response.status_code == 400 and "unpacks to more than 50 MB" in \
        response.content.decode()
    assert not wave.rows.exists()


def test_formulas_and_error_cells_of_an_xlsx_are_cells_like_any_other(alice, wave):
    """openpyxl writes a formula without its value (Excel computes it on opening): an empty
    cell; an error value is the text Excel shows."""
    row = {**_row(1), f"{SOURCE}.ip": "=1+1", PORT: "#DIV/0!"}
    response = _upload(alice, wave, _xlsx([[row[column] for column in COLUMNS]]), "f.xlsx")
    assert response.status_code == 302
    draft = wave.rows.get().draft
    assert c.get_path(draft.job, f"{SOURCE}.ip") is None
    assert c.get_path(draft.job, PORT) == "#DIV/0!"


def test_a_csv_of_many_empty_lines_is_read_a_line_at_a_time():
    """256 KB of "," lines: read whole into lists, they took 50 times that."""
    import tracemalloc

    from drsui.errors import ApplicationError
    from drsui.waves.tables import table_read

    content = b"base_info.name\n" + b",\n" * (256 * 1024 // 2 - 16)
    tracemalloc.start()
    try:
        with pytest.raises(ApplicationError, match="a header but no rows"):
            table_read(SimpleUploadedFile("rows.csv", content), COLUMNS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * len(content)


def test_a_corrected_file_updates_the_rows_it_names(alice, wave):
    _upload(alice, wave, _csv([_row(1, **{PORT: "port"}), _row(2)]))
    assert "R-28" in alice.get(reverse("wave_detail", args=[wave.pk])).content.decode()
    response = _upload(alice, wave, _csv([_row(1), _row(3)]))
    page = alice.get(response["Location"]).content.decode()
    assert "Rows added: 1; rows updated: 1." in page
    assert sorted(_drafts(wave)) == ["wave-task-01", "wave-task-02", "wave-task-03"]
    assert "R-28" not in page and _problems_of(page) == 0


# --- the grid ---------------------------------------------------------------------------------
def _bad_wave(wave):
    wave_rows_save(wave=wave, rows=[_row(1, **{PORT: "port"}), _row(2)])
    return list(wave.rows.order_by("position"))


def test_a_bad_cell_is_marked_with_its_rule_and_the_grid_fixes_it(alice, wave):
    bad, good = _bad_wave(wave)
    page = alice.get(reverse("wave_detail", args=[wave.pk])).content.decode()
    port = wave.paths.index(PORT)
    assert "is-invalid" in _input(page, f'name="c-{bad.pk}-{port}"') and _problems_of(page) == 1
    assert "R-28" in page.split(f'name="c-{bad.pk}-{port}"')[1].split("</td>")[0]
    assert "1 with problems" in page
    grid = {f"c-{row.pk}-{i}": wave_rows.text_from_value(c.get_path(row.draft.job, path))
            for row in (bad, good) for i, path in enumerate(wave.paths)
            if "password" not in path}
    grid[f"c-{bad.pk}-{port}"] = "1522"
    grid |= {f"v-{row.pk}": str(row.draft.version) for row in (bad, good)}  # as the page has
    response = alice.post(reverse("wave_detail", args=[wave.pk]), grid)
    assert response.status_code == 302
    page = alice.get(response["Location"]).content.decode()
    assert "Rows added: 0; rows updated: 1." in page and _problems_of(page) == 0
    bad.draft.refresh_from_db()
    assert c.get_path(bad.draft.job, PORT) == "1522"
    assert bad.draft.secrets()[PASSWORD] == "secret-pw-1"  # an empty password cell keeps it


def test_a_row_with_problems_links_its_number_to_the_first_of_them(alice, wave):
    bad, good = _bad_wave(wave)
    job = bad.draft.job  # a problem of no column too: the template's part of the body
    job["base_info"]["job_type"] = "replay"
    Draft.objects.filter(pk=bad.draft_id).update(body={"job": job})
    page = alice.get(reverse("wave_detail", args=[wave.pk])).content.decode()

    first = f"c-{bad.pk}-{wave.paths.index(PORT)}"
    assert f'href="#{first}" title="Row 1: 2 problems, go to the first"' in page
    assert f'id="{first}"' in _input(page, f'name="{first}"')
    assert page.count("wave-problems-link") == 1  # none on the good row

    c.set_path(job, PORT, "1521")  # the cell fixed: the row's problem of no column is left
    Draft.objects.filter(pk=bad.draft_id).update(body={"job": job})
    page = alice.get(reverse("wave_detail", args=[wave.pk])).content.decode()
    assert f'href="#problems-{bad.pk}" title="Row 1: 1 problem, go to it"' in page
    assert f'<tr class="row-problems" id="problems-{bad.pk}">' in page


def test_a_row_without_a_task_name_is_a_problem_on_its_name(alice, wave):
    _upload(alice, wave, _csv([_row(1, **{"base_info.name": " "}), _row(2)]))
    page = alice.get(reverse("wave_detail", args=[wave.pk])).content.decode()
    [nameless] = [row for row in wave.rows.select_related("draft") if not row.draft.name]
    name_cell = page.split(f'name="c-{nameless.pk}-{wave.paths.index("base_info.name")}"')[1]
    assert "Each row needs a task name" in name_cell.split("</td>")[0]
    assert "1 with problems" in page


def test_a_row_typed_into_the_empty_row_is_added(alice, wave):
    cells = {f"n-0-{i}": value for i, value in enumerate(_row(7).values())}
    response = alice.post(reverse("wave_detail", args=[wave.pk]), cells)
    assert response.status_code == 302
    assert list(_drafts(wave)) == ["wave-task-07"]
    assert _drafts(wave)["wave-task-07"].secrets()[PASSWORD] == "secret-pw-7"


def test_a_row_is_deleted_from_the_grid(alice, wave):
    bad, good = _bad_wave(wave)
    alice.post(reverse("wave_detail", args=[wave.pk]), {"delete_row": str(bad.pk)})
    assert list(wave.rows.all()) == [good] and not Draft.objects.filter(pk=bad.draft_id).exists()


def test_an_htmx_row_save_returns_the_row_without_its_problem(alice, wave):
    bad, _good = _bad_wave(wave)
    port = wave.paths.index(PORT)
    response = alice.post(reverse("wave_row", args=[wave.pk, bad.pk]),
                          {f"c-{bad.pk}-{port}": "1522", f"v-{bad.pk}": bad.draft.version},
                          HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith("<tbody")
    assert f'id="wave-row-{bad.pk}"' in html and "is-invalid" not in html
    assert 'value="1522"' in html and "R-28" not in html


@pytest.mark.parametrize("version", [None, "", "abc", "-5", "1.0", " 3", "9" * 23])
def test_a_row_posted_without_its_version_is_not_saved(alice, wave, version):
    bad, _good = _bad_wave(wave)
    cells = {f"c-{bad.pk}-{wave.paths.index(PORT)}": "1522"}
    if version is not None:
        cells[f"v-{bad.pk}"] = version
    response = alice.post(reverse("wave_row", args=[wave.pk, bad.pk]), cells,
                          HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "changed elsewhere" in html and 'value="port"' in html
    bad.draft.refresh_from_db()
    assert c.get_path(bad.draft.job, PORT) == "port"


def test_passwords_are_never_shown(alice, wave):
    _upload(alice, wave, _csv([_row(1), _row(2, **{PORT: "port"})]))
    row = wave.rows.first()
    pages = [alice.get(reverse("wave_detail", args=[wave.pk])),
             alice.get(reverse("wave_list")),
             alice.get(reverse("wave_header", args=[wave.pk])),
             alice.get(reverse("wave_header", args=[wave.pk]) + "?format=xlsx"),
             alice.post(reverse("wave_row", args=[wave.pk, row.pk]),
                        {f"c-{row.pk}-{wave.paths.index(PASSWORD)}": "new-secret-pw"},
                        HTTP_HX_REQUEST="true"),
             _upload(alice, wave, b"not,a,header\n1,2,3\n")]
    for response in pages:
        for secret in (b"secret-pw-1", b"secret-pw-2", b"template-src-pw",
                       TEMPLATE_TARGET_PASSWORD.encode(), b"new-secret-pw"):
            assert secret not in response.content
    assert "set — type to replace" in pages[0].content.decode()


def test_a_refused_grid_post_shows_back_what_was_typed_but_no_password(alice, wave, project):
    wave_rows_save(wave=wave, rows=[_row(1)])
    row = wave.rows.get()
    password = wave.paths.index(PASSWORD)
    project.groups.clear()  # refused: the project is no longer granted
    typed = {f"c-{row.pk}-{password}": "typed-row-pw", f"c-{row.pk}-1": "10.1.1.1",
             **{f"n-0-{i}": text for i, text in enumerate(_row(2, **{
                 PASSWORD: "typed-new-pw"}).values())}}
    answers = [alice.post(reverse("wave_detail", args=[wave.pk]), typed),
               alice.post(reverse("wave_row", args=[wave.pk, row.pk]), typed,
                          HTTP_HX_REQUEST="true"),
               alice.get(reverse("wave_progress", args=[wave.pk]), HTTP_HX_REQUEST="true")]
    assert [a.status_code for a in answers] == [403, 200, 200]
    assert 'value="10.1.1.1"' in answers[0].content.decode()  # nothing typed lost...
    for answer in answers:
        for secret in (b"typed-row-pw", b"typed-new-pw", b"secret-pw-1", b"template-src-pw",
                       TEMPLATE_TARGET_PASSWORD.encode()):
            assert secret not in answer.content  # ...but a password is never shown back


def test_another_persons_wave_is_not_found(bob, wave):
    wave_rows_save(wave=wave, rows=[_row(1)])
    row = wave.rows.get()
    assert bob.get(reverse("wave_detail", args=[wave.pk])).status_code == 404
    assert bob.get(reverse("wave_header", args=[wave.pk])).status_code == 404
    assert _upload(bob, wave, _csv([_row(2)])).status_code == 404
    assert bob.post(reverse("wave_detail", args=[wave.pk]), {}).status_code == 404
    assert bob.post(reverse("wave_row", args=[wave.pk, row.pk]), {}).status_code == 404
    assert 'id="waves"' not in bob.get(reverse("wave_list")).content.decode()


def test_a_project_no_longer_granted_refuses_upload_and_save(alice, wave, project):
    bad, _good = _bad_wave(wave)
    project.groups.clear()
    response = _upload(alice, wave, _csv([_row(5)]))
    assert response.status_code == 403 and "not granted to your teams" in \
        response.content.decode()
    port = wave.paths.index(PORT)
    response = alice.post(reverse("wave_detail", args=[wave.pk]),
                          {f"c-{bad.pk}-{port}": "typed-and-kept"})
    page = response.content.decode()
    assert response.status_code == 403 and "not granted to your teams" in page
    assert 'value="typed-and-kept"' in page  # nothing typed is lost
    bad.draft.refresh_from_db()
    assert c.get_path(bad.draft.job, PORT) == "port" and wave.rows.count() == 2


# --- the header file and the list -------------------------------------------------------------
def test_the_header_file_names_the_columns_with_an_example_row(alice, wave):
    response = alice.get(reverse("wave_header", args=[wave.pk]))
    assert response["Content-Type"].startswith("text/csv")
    header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == wave.paths
    assert dict(zip(header, example, strict=True)) == {
        **wave_rows.row_of(wave.template_job, wave.paths), PASSWORD: ""}
    assert example[header.index(PORT)] == c.get_path(template_body()["job"], PORT)
    response = alice.get(reverse("wave_header", args=[wave.pk]) + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == [header, example]
    # the header file, filled in, uploads as it is
    assert _upload(alice, wave, response.content, "header.xlsx").status_code == 302


def test_the_wave_list_counts_rows_and_the_top_bar_links_it(alice, wave):
    wave_rows_save(wave=wave, rows=[_row(1), _row(2)])
    page = alice.get(reverse("wave_list")).content.decode()
    assert f'href="{reverse("wave_detail", args=[wave.pk])}"' in page
    assert '<td class="text-end wave-rows">2</td>' in page
    assert f'href="{reverse("wave_list")}"' in alice.get(reverse("draft_list")).content.decode()


def test_the_grid_reads_in_a_fixed_number_of_queries(alice, wave):
    wave_rows_save(wave=wave, rows=[_row(n) for n in range(1, 4)])
    with CaptureQueriesContext(connection) as few:
        assert alice.get(reverse("wave_detail", args=[wave.pk])).status_code == 200
    wave_rows_save(wave=wave, rows=[_row(n) for n in range(4, 24)])
    cache.clear()  # both pages cold: the menu's approver groups are kept 30 s
    with CaptureQueriesContext(connection) as many:
        page = alice.get(reverse("wave_detail", args=[wave.pk])).content.decode()
    assert page.count('class="wave-row') == 23
    assert len(many) == len(few)
    assert WaveRow.objects.filter(wave=wave).count() == 23


def test_ops_open_another_persons_wave_read_only(client, wave, django_user_model):
    from django.contrib.auth.models import Group

    wave_rows_save(wave=wave, rows=[_row(1)])
    olga = django_user_model.objects.create_user("olga", password="olga-pass-1")
    olga.groups.add(Group.objects.get_or_create(name="ops")[0])
    client.force_login(olga)
    page = client.get(reverse("wave_detail", args=[wave.pk])).content.decode()
    row = wave.rows.get()
    assert " disabled" in _input(page, f'name="c-{row.pk}-0"') and "hx-post" not in page
    assert 'id="wave-upload"' not in page
    assert 'href="/drafts/' not in page.split('id="wave-facts"')[1]  # 404 to ops: not linked
    assert client.post(reverse("wave_detail", args=[wave.pk]), {}).status_code == 404
    assert 'id="waves"' in client.get(reverse("wave_list")).content.decode()


# Numbers as a form may post them: Unicode digits ("²" is a digit to str.isdigit, not to int),
# signs, more digits than any key.
_ODD_NUMBERS = st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
                         st.sampled_from(["²", "٣", "-1", "0", "1e3", " 1", "9" * 30]))


@settings(max_examples=examples(75), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cells=st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
                      min_size=7, max_size=7),
       extra=st.sampled_from(["", "add_rows", "delete_row", "empty_rows"]),
       number=_ODD_NUMBERS)
def test_whatever_the_grid_posts_the_answer_is_never_a_5xx(alice, wave, cells, extra, number):
    if not wave.rows.exists():
        wave_rows_save(wave=wave, rows=[_row(1)])
    row = wave.rows.first()
    data = {f"c-{row.pk}-{i}": text for i, text in enumerate(cells)}
    data.update({f"n-0-{i}": text for i, text in enumerate(cells)})
    data.update({f"v-{row.pk}": number, f"v-{number}": "1", "delete_row": number,
                 "empty_rows": number})
    if extra:
        data[extra] = cells[0]
    assert alice.post(reverse("wave_detail", args=[wave.pk]), data).status_code < 500
    assert alice.post(reverse("wave_row", args=[wave.pk, row.pk]), data,
                      HTTP_HX_REQUEST="true").status_code < 500
    assert alice.get(reverse("wave_detail", args=[wave.pk]), {"add": number}).status_code < 500


@pytest.mark.parametrize("number", ["²", "٣", "-1", "9" * 30])
def test_a_unicode_or_huge_number_in_the_grid_form_is_ignored_not_a_500(alice, wave, number):
    wave_rows_save(wave=wave, rows=[_row(1)])
    row = wave.rows.get()
    response = alice.post(reverse("wave_detail", args=[wave.pk]), {
        f"v-{row.pk}": number, f"v-{number}": "1", "delete_row": number, "add_rows": "1",
        "empty_rows": number})
    assert response.status_code == 302 and response["Location"].endswith("?add=6#new-rows")
    assert wave.rows.get() == row
    page = alice.get(reverse("wave_detail", args=[wave.pk]), {"add": number})
    assert page.content.decode().count('class="wave-new-row"') == 1


def test_a_row_changed_in_the_wizard_after_the_grid_was_shown_is_not_overwritten(alice, wave):
    from drsui.wizard.services import draft_set_job

    bad, good = _bad_wave(wave)
    page = alice.get(reverse("wave_detail", args=[wave.pk])).content.decode()
    shown_version = _input(page, f'name="v-{bad.pk}"').split('value="')[1].split('"')[0]
    job = bad.draft.job
    c.set_path(job, PORT, "1600")  # fixed in the wizard meanwhile
    draft_set_job(draft=bad.draft, job=job, secrets=bad.draft.secrets())
    port = wave.paths.index(PORT)
    stale = {f"v-{bad.pk}": shown_version, f"c-{bad.pk}-{port}": "port"}
    response = alice.post(reverse("wave_detail", args=[wave.pk]), stale, follow=True)
    assert "1 row was changed elsewhere" in response.content.decode()
    bad.draft.refresh_from_db()
    assert c.get_path(bad.draft.job, PORT) == "1600"
    row = alice.post(reverse("wave_row", args=[wave.pk, bad.pk]), stale,
                     HTTP_HX_REQUEST="true").content.decode()
    assert "was changed elsewhere" in row and 'value="1600"' in row
    bad.draft.refresh_from_db()
    assert c.get_path(bad.draft.job, PORT) == "1600"


def test_add_rows_saves_the_grid_and_shows_more_empty_rows(alice, wave):
    response = alice.post(reverse("wave_detail", args=[wave.pk]),
                          {"add_rows": "1", "empty_rows": "1",
                           **{f"n-0-{i}": value for i, value in enumerate(_row(3).values())}})
    assert response["Location"].endswith("?add=6#new-rows")
    page = alice.get(response["Location"]).content.decode()
    assert page.count('class="wave-new-row"') == 6 and list(_drafts(wave)) == ["wave-task-03"]
