import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from drsui import contract as c
from drsui.audit.models import AuditEvent
from drsui.wizard.selectors import MAX_ID

from .selectors import DEFAULT_SORT, SORTS, STATUSES, SubmissionFilters

# Days a filter may name: a day after the last would overflow (the filter ends the day after).
_DAYS = (dt.date(1970, 1, 1), dt.date(9998, 12, 31))
_DAY_MESSAGE = f"Enter a day from {_DAYS[0]} to {_DAYS[1]}."
_DAY_RANGE = [MinValueValidator(_DAYS[0], _DAY_MESSAGE), MaxValueValidator(_DAYS[1], _DAY_MESSAGE)]


def _id_field(**kwargs):
    """An id: a number a database integer holds (a larger one is no row's)."""
    return forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, **kwargs)


class DashboardFilterForm(forms.Form):
    """The dashboard's GET filters; anything invalid is ignored (and shown as an error)."""

    q = forms.CharField(required=False, max_length=100, label="Name or DRS job id")
    status = forms.ChoiceField(required=False, choices=[("", "Any status")]
                               + [(s, s) for s in STATUSES])
    engine = forms.ChoiceField(required=False, choices=[("", "Any engine")]
                               + [(e, e) for e in c.ENGINE_TYPES])
    project = _id_field()
    user = _id_field()
    date_from = forms.DateField(required=False, label="From", validators=_DAY_RANGE,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", validators=_DAY_RANGE,
                              widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS])

    def __init__(self, data, *, projects=(), users=()):
        super().__init__(data)
        # For the selects only: an id not listed (yet) still filters.
        self.project_choices = [("", "Any project")] + [(str(pk), n) for pk, n in projects]
        self.user_choices = [("", "Any user")] + [(str(pk), n) for pk, n in users]

    def filters(self) -> SubmissionFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items()
                if name not in self.errors and value not in (None, "")}
        data["q"] = data.get("q", "").strip()
        data.setdefault("sort", DEFAULT_SORT)
        return SubmissionFilters(**data)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False,
                               choices=[("", "Any action")] + list(AuditEvent.Action.choices))
    user = forms.CharField(required=False, max_length=150, label="User name")
    q = forms.CharField(required=False, max_length=100, label="Search")
    submission = _id_field(label="Submission")
