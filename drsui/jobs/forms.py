from django import forms

from drsui import contract as c

from .models import AuditEvent
from .selectors import DEFAULT_SORT, SORTS, STATUSES, SubmissionFilters


class DashboardFilterForm(forms.Form):
    """The dashboard's GET filters; anything invalid is ignored (and shown as an error)."""

    q = forms.CharField(required=False, max_length=100, label="Name or DRS job id")
    status = forms.ChoiceField(required=False, choices=[("", "Any status")]
                               + [(s, s) for s in STATUSES])
    engine = forms.ChoiceField(required=False, choices=[("", "Any engine")]
                               + [(e, e) for e in c.ENGINE_TYPES])
    project = forms.IntegerField(required=False, min_value=1)
    user = forms.IntegerField(required=False, min_value=1)
    date_from = forms.DateField(required=False, label="From",
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To",
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
    submission = forms.IntegerField(required=False, min_value=1, label="Submission")
