"""A wave's rows read from an uploaded CSV or XLSX file, and the header file to fill in.

The first row names the columns by their paths (as the header file writes them); each further
row is one task, `{path: text}` with the text as a person typed it (Excel's 3306.0 is "3306").
Anything wrong refuses the whole file with an ApplicationError saying what: nothing is kept.
"""

import csv
import datetime
import io
import zipfile

import openpyxl
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from drsui.contract import rows as wave_rows
from drsui.errors import ApplicationError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 1000
# An XLSX is a zip: what it unpacks to is capped before openpyxl reads any of it (it keeps
# the shared strings in memory), so a small file that unpacks to gigabytes is refused.
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024


@sensitive_variables()
def table_read(uploaded_file, columns: list[str]) -> list[dict]:
    """The file's rows as `{path: text}` (only the columns its header names; blank rows left
    out); ApplicationError when it cannot be a wave's table."""
    name = (getattr(uploaded_file, "name", "") or "").lower()
    if not name.endswith((".csv", ".xlsx")):
        raise ApplicationError(_("Upload a .csv or .xlsx file."))
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ApplicationError(_("The file is larger than %(mb)s MB.")
                               % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
    data = uploaded_file.read()
    if not data.strip():
        raise ApplicationError(_("The file is empty."))
    lines = _xlsx_lines(data) if name.endswith(".xlsx") else _csv_lines(data)
    header = next(lines, None)
    header = _header_checked(header or [], columns)
    rows = []
    for line in lines:
        cells = {path: text.strip() for path, text in zip(header, line, strict=False) if path}
        if not any(cells.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise ApplicationError(_("The file has more than %(max)s rows: split it.")
                                   % {"max": MAX_ROWS})
        rows.append(cells)
    if not rows:
        raise ApplicationError(_("The file has a header but no rows."))
    return rows


def _header_checked(header: list[str], columns: list[str]) -> list[str]:
    """The header's paths in file order ("" for a blank header cell, whose cells are left
    out)."""
    header = [cell.strip() for cell in header]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise ApplicationError(_("The file is empty."))
    unknown = [cell for cell in header if cell and cell not in columns]
    if unknown:
        raise ApplicationError(_("Not a column of this wave: %(cells)s. The first row names the "
                                 "columns as the header file does.")
                               % {"cells": ", ".join(unknown[:10])[:300]})
    repeated = [cell for cell in dict.fromkeys(header) if cell and header.count(cell) > 1]
    if repeated:
        raise ApplicationError(_("A column appears twice: %(cells)s.")
                               % {"cells": ", ".join(repeated)})
    if wave_rows.NAME_PATH not in header:
        raise ApplicationError(_("The file has no %(name)s column: each row's task name is "
                                 "how a row is found again.") % {"name": wave_rows.NAME_PATH})
    return header


@sensitive_variables()
def _csv_lines(data: bytes):
    """UTF-8 (with or without BOM), else GB18030: what Chinese Excel saves CSV as."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ApplicationError(_("The file is neither UTF-8 nor GB18030 text.")) from None
    if "\x00" in text:
        raise ApplicationError(_("The file is not a CSV text file."))
    return _csv_rows(text)


def _csv_rows(text: str):
    """One line at a time: 5 MB of blank lines is millions of them, never all in memory."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:
        reason = str(exc)[:200]
        if reason.startswith("field larger than field limit"):
            reason = _("a cell holds more than %(n)s characters") % {
                "n": csv.field_size_limit()}
        raise ApplicationError(_("The CSV file cannot be read (line %(line)s): %(reason)s")
                               % {"line": reader.line_num, "reason": reason}) from None


def _xlsx_unpacked_size(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return 0  # not a zip: openpyxl refuses it below


@sensitive_variables()
def _xlsx_lines(data: bytes):
    """The first sheet's rows as text; a file openpyxl cannot open is refused."""
    if _xlsx_unpacked_size(data) > MAX_XLSX_UNPACKED_BYTES:
        raise ApplicationError(_("The XLSX file unpacks to more than %(mb)s MB: upload it as "
                                 "CSV, or split it.")
                               % {"mb": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)})
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        lines = []
        for read, values in enumerate(book.worksheets[0].iter_rows(values_only=True,
                                                                   max_col=200)):
            line = [_cell_text(value) for value in values]
            if any(line):
                lines.append(line)
            if len(lines) > MAX_ROWS + 1 or read > 100 * MAX_ROWS:  # refused below: too many
                break
        book.close()
    except Exception:  # openpyxl raises what its parts raise on a broken file (zip, XML, ...)
        raise ApplicationError(_("The XLSX file cannot be opened: save it again from Excel as "
                                 ".xlsx, or upload a CSV file.")) from None
    return iter(lines)


def _cell_text(value) -> str:
    """A cell as the text a person typed: Excel stores 3306 as 3306.0, dates as dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else \
            value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).replace("\x00", "")


def header_rows(wave) -> list[list[str]]:
    """The header file's rows: the columns' paths, and one example row of the template's
    values (a password's cell empty)."""
    example = wave_rows.row_of(wave.template_job, wave.paths)
    return [list(wave.paths), [example[path] for path in wave.paths]]


def header_csv(wave) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(header_rows(wave))
    return out.getvalue().encode("utf-8-sig")  # the BOM: Excel then reads it as UTF-8


def header_xlsx(wave) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "wave"
    for row in header_rows(wave):
        sheet.append(row)
    for column in sheet.iter_cols():
        for cell in column:
            cell.number_format = "@"  # text: a port stays "3306", an id keeps its zeros
        sheet.column_dimensions[column[0].column_letter].width = max(
            14, min(48, len(str(column[0].value or "")) + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
