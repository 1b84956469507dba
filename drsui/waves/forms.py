"""A wave's forms: its columns picked from a draft, an uploaded file, and the grid's cells."""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy

from drsui.contract import rows as wave_rows
from drsui.errors import ApplicationError
from drsui.wizard.fields import FIELDS

from .services import wave_paths_checked
from .tables import table_read

# A path's fields (one path may have several: db_name is Oracle's service name, another
# engine's database name), in the table's order: the first is its main one.
_FIELDS_OF_PATH: dict = {}
for _field in FIELDS:
    _FIELDS_OF_PATH.setdefault(_field.path, []).append(_field)


def path_label(path: str, job: dict | None = None) -> str:
    """"Port" for source_endpoint.0.endpoint.db_port, as the wizard labels it for `job` ("" if
    it does not). The side is said by the column's group: source_endpoint / target_endpoint."""
    fields = _FIELDS_OF_PATH.get(path, [])
    shown = [f for f in fields if job is not None and f.shown(job)]
    label = (shown or fields or [None])[0]
    return str(label.label) if label else ""


def _leaf_paths(value, prefix=""):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaf_paths(child, f"{prefix}{key}.")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaf_paths(child, f"{prefix}{index}.")
    else:
        yield prefix[:-1]


def column_choices(job: dict, secrets: dict) -> list[tuple[str, str]]:
    """Every path of the draft a column may vary: the proposal first, then the body's other
    fields of one value (and its passwords) in the body's order."""
    paths = [*wave_rows.proposed_paths(job), *_leaf_paths(job), *secrets]
    return [(path, path_label(path, job)) for path in dict.fromkeys(paths)
            if wave_rows.field_type(path) is not None]


class WaveNewForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Wave name"), max_length=64)
    columns = forms.MultipleChoiceField(required=False, label=gettext_lazy("Columns"),
                                        widget=forms.CheckboxSelectMultiple)
    other_paths = forms.CharField(
        required=False, label=gettext_lazy("Other paths"), max_length=2000,
        help_text=gettext_lazy("More columns by their path in the body, comma-separated, e.g. "
                               "source_endpoint.0.endpoint.db_name"))

    def __init__(self, *args, job: dict, secrets: dict, **kwargs):
        super().__init__(*args, auto_id="wave-%s", **kwargs)
        self.job = job
        self.fields["columns"].choices = column_choices(job, secrets)

    def clean(self):
        data = super().clean()
        others = [p.strip() for p in data.get("other_paths", "").replace("\n", ",").split(",")]
        try:
            data["paths"] = wave_paths_checked(
                [*data.get("columns", []), *(p for p in others if p)], self.job)
        except ApplicationError as exc:
            self.add_error("other_paths", exc.message)
        return data


class WaveUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"),
                           widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}))

    def __init__(self, *args, wave, **kwargs):
        super().__init__(*args, auto_id="upload-%s", **kwargs)
        self.wave = wave

    def clean_file(self):
        try:
            return table_read(self.cleaned_data["file"], self.wave.paths)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None


# --- the grid ---------------------------------------------------------------------------------
# A cell's input is named c-<row pk>-<column index>; a new row's n-<i>-<column index>.


@dataclass
class GridCell:
    name: str
    path: str
    value: str
    secret: bool
    is_set: bool = False
    problems: list = field(default_factory=list)


@dataclass
class GridRow:
    checked: object  # a CheckedRow
    cells: list

    @property
    def names(self) -> str:
        """The row's input names, for htmx's hx-params: a row posts only its own cells."""
        return ",".join([f"v-{self.checked.row.pk}", *(cell.name for cell in self.cells)])

    @property
    def problem_count(self) -> int:
        return sum(len(cell.problems) for cell in self.cells) + len(self.checked.row_problems)

    @property
    def first_problem(self) -> str:
        """The id of what to show first of the row's problems: its first invalid cell (the
        grid scrolls sideways, so it may be out of sight), or its problems of no column."""
        for cell in self.cells:
            if cell.problems:
                return cell.name
        return f"problems-{self.checked.row.pk}"


def _shown(posted, name: str, stored: str, path: str) -> str:
    """What a cell shows: what was posted, when a post was refused (nothing typed is lost;
    a password never)."""
    if posted is None or wave_rows.is_secret_path(path):
        return "" if wave_rows.is_secret_path(path) else stored
    return posted.get(name, stored)


def grid_row(checked, paths: list[str], posted=None) -> GridRow:
    pk = checked.row.pk
    return GridRow(checked=checked, cells=[
        GridCell(name=f"c-{pk}-{i}", path=path,
                 value=_shown(posted, f"c-{pk}-{i}", checked.cells.get(path, ""), path),
                 secret=wave_rows.is_secret_path(path), is_set=path in checked.secrets_set,
                 problems=checked.problems.get(path, []))
        for i, path in enumerate(paths)])


def new_rows(paths: list[str], count: int, posted=None) -> list[list[GridCell]]:
    return [[GridCell(name=f"n-{n}-{i}", path=path, value=_shown(posted, f"n-{n}-{i}", "", path),
                      secret=wave_rows.is_secret_path(path))
             for i, path in enumerate(paths)] for n in range(count)]


def posted_cells(data, prefix: str, paths: list[str]) -> dict | None:
    """{path: text} of the cells posted under `prefix` ("c-12", "n-0"); None when the form
    held none of them (a row added after the page was rendered)."""
    # a NUL is dropped: no field takes one, and PostgreSQL's JSON cannot store it
    cells = {path: data[f"{prefix}-{i}"].replace("\x00", "") for i, path in enumerate(paths)
             if f"{prefix}-{i}" in data}
    return cells or None


def posted_number(text: str) -> int | None:
    """A posted whole number (a row's pk, a version, a count), or None for anything else:
    "²" and "٣" are digits to str.isdigit(), so only ASCII ones are read."""
    if text.isascii() and text.isdigit() and len(text) < 12:
        return int(text)
    return None


def posted_versions(data) -> dict:
    """{row pk: the version of its draft the grid showed} (v-<row pk>)."""
    versions = {}
    for key, value in data.items():
        pk = posted_number(key[2:]) if key.startswith("v-") else None
        version = posted_number(value)
        if pk is not None and version is not None:
            versions[pk] = version
    return versions


def posted_new_rows(data, paths: list[str], limit: int = 200) -> list[dict]:
    """The new rows typed into the grid's empty rows (blank ones left out)."""
    rows = []
    for n in range(limit):
        cells = posted_cells(data, f"n-{n}", paths)
        if cells is None:
            break
        if any(text.strip() for text in cells.values()):
            rows.append(cells)
    return rows
