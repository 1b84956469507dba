import datetime as dt
import functools

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout
from crispy_forms.utils import render_crispy_form
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.functional import cached_property, lazy
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from drsui import contract as c
from drsui.audit.models import AuditEvent
from drsui.wizard.selectors import MAX_ID

from .models import STATUS_WORDS
from .selectors import DEFAULT_SORT, SORTS, STATUSES, SubmissionFilters

# Days a filter may name: a day after the last would overflow (the filter ends the day after).
_DAYS = (dt.date(1970, 1, 1), dt.date(9998, 12, 31))
_DAY_MESSAGE = lazy(lambda: gettext("Enter a day from %(first)s to %(last)s.") % {
    "first": _DAYS[0], "last": _DAYS[1]}, str)()
_DAY_RANGE = [MinValueValidator(_DAYS[0], _DAY_MESSAGE), MaxValueValidator(_DAYS[1], _DAY_MESSAGE)]


def _id_field(**kwargs):
    """An id: a number a database integer holds (a larger one is no row's)."""
    return forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, **kwargs)


class QuickSelect(forms.Select):
    """A select whose options are written here rather than by a template each: the dashboard's
    lists (statuses, users, projects) run to dozens, and their templates cost several times
    the rest of the page's form."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) in chosen else ""}>'
            f"{escape(label)}</option>" for v, label in self.choices)
        attrs = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return mark_safe(f"<select{attrs}>{options}</select>")


def _filter_helper(form, url: str, *fields) -> FormHelper:
    """A one-line GET form of small inputs, each `(name, column classes)`, then Filter and Clear.

    A bad value is shown under its input (and the page says it was ignored)."""
    helper = FormHelper()
    helper.form_method = "get"
    helper.form_action = url
    helper.form_class = "form-compact row g-2 mb-2"
    helper.label_class = "small mb-0"
    helper.attrs = {"role": "search"}
    helper.field_template = "ops/_filter_field.html"

    def small(name):  # crispy adds form-control or form-select
        widget = form.fields[name].widget
        return "" if widget.is_hidden else \
            "form-select-sm" if isinstance(widget, forms.Select) else "form-control-sm"

    helper.layout = Layout(
        *(Field(name, css_class=small(name), wrapper_class=columns) for name, columns in fields),
        # A label's height above the buttons: they line up with the inputs, errors or not.
        Div(HTML('<span class="form-label small d-none d-md-block invisible" '
                 'aria-hidden="true">-</span>'),
            StrictButton(gettext("Filter"), type="submit", css_class="btn-sm btn-primary"),
            HTML(f'<a class="btn btn-sm btn-link" href="{url}">{escape(gettext("Clear"))}</a>'),
            css_class="col-auto"),
    )
    return helper


class _FilterForm(forms.Form):
    def ignored(self):
        """The filters left out for a bad value, as the page's inputs."""
        return [self[name] for name in self.errors if name in self.fields]


class DashboardFilterForm(_FilterForm):
    """The dashboard's GET filters; anything invalid is ignored (and shown as an error)."""

    q = forms.CharField(required=False, max_length=100, label=_("Name or DRS job id"),
                        widget=forms.SearchInput)
    status = forms.ChoiceField(required=False, choices=[("", _("Any status"))]
                               + [(s, STATUS_WORDS.get(s, s)) for s in STATUSES],
                               widget=QuickSelect, label=_("Status"))
    engine = forms.ChoiceField(required=False, choices=[("", _("Any engine"))]
                               + [(e, e) for e in c.ENGINE_TYPES], widget=QuickSelect,
                               label=_("Engine"))
    project = _id_field(label=_("Project"))
    user = _id_field(label=_("User"))
    wave = _id_field(label=_("Wave"))
    date_from = forms.DateField(required=False, label=_("From"), validators=_DAY_RANGE,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=_("To"), validators=_DAY_RANGE,
                              widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS],
                             widget=forms.HiddenInput)

    def __init__(self, data, *, projects=(), users=(), waves=()):
        super().__init__(data, auto_id="f-%s")
        self.projects, self.users, self.waves = projects, users, waves
        # Offered in the selects; an id not listed (yet) still filters.
        self.fields["project"].widget = QuickSelect(
            choices=[("", _("Any project"))] + [(str(pk), n) for pk, n in projects])
        self.fields["user"].widget = QuickSelect(
            choices=[("", _("Any user"))] + [(str(pk), n) for pk, n in users])
        self.fields["wave"].widget = QuickSelect(
            choices=[("", _("Any wave"))] + [(str(pk), n) for pk, n in waves])

    @cached_property
    def helper(self):  # only the whole page shows the form (not a poll of the table)
        url = reverse("ops_dashboard")
        helper = _filter_helper(
            # From md up each select is as wide as its longest option: none is cut off.
            self, url, ("q", "col-12 col-md filter-search"), ("status", "col-6 col-md-auto"),
            ("engine", "col-6 col-md-auto"), ("project", "col-6 col-md-auto"),
            ("user", "col-6 col-md-auto"), ("wave", "col-6 col-md-auto"),
            ("date_from", "col-6 col-md-auto"),
            ("date_to", "col-6 col-md-auto"), ("sort", ""))
        helper.form_id = "ops-filters"
        if self.errors:  # a plain form until the page is loaded again without them
            return helper
        # A filter change swaps the table alone, and the address follows.
        helper.attrs.update({
            "hx-get": url, "hx-target": "#ops-table", "hx-swap": "outerHTML",
            "hx-push-url": "true",
            "hx-trigger": "submit, change from:#ops-filters select, "
                          "change from:#ops-filters input[type=date]"})
        return helper

    def html(self) -> str:
        """The form as crispy renders it: kept per filter values, choices and language, as the
        page shows the same few (the list unfiltered, above all) on every load."""
        data = tuple((name, tuple(self.data.getlist(name))) for name in self.fields
                     if name in self.data)
        return _dashboard_filters_html(data, tuple(self.projects), tuple(self.users),
                                       tuple(self.waves), get_language())

    def filters(self) -> SubmissionFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items()
                if name not in self.errors and value not in (None, "")}
        data["q"] = data.get("q", "").strip()
        data.setdefault("sort", DEFAULT_SORT)
        return SubmissionFilters(**data)


@functools.lru_cache(maxsize=32)
def _dashboard_filters_html(data: tuple, projects: tuple, users: tuple, waves: tuple,
                            language: str) -> str:
    """`language`: the active one, which the HTML is in (a key of the cache, not read)."""
    form = DashboardFilterForm(MultiValueDict(dict(data)), projects=projects, users=users,
                               waves=waves)
    return mark_safe(render_crispy_form(form))


class AuditFilterForm(_FilterForm):
    action = forms.ChoiceField(required=False, widget=QuickSelect,
                               choices=[("", _("Any action"))] + list(AuditEvent.Action.choices),
                               label=_("Action"))
    user = forms.CharField(required=False, max_length=150, label=_("User name"))
    submission = _id_field(label=_("Submission"),
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    q = forms.CharField(required=False, max_length=100, label=_("Search"),
                        widget=forms.SearchInput)

    def __init__(self, data):
        super().__init__(data, auto_id="a-%s")
        self.helper = _filter_helper(
            self, reverse("ops_audit"), ("action", "col-6 col-md-2"), ("user", "col-6 col-md-2"),
            ("submission", "col-6 col-md-2"), ("q", "col-6 col-md-3"))


class DecisionForm(forms.Form):
    """An approver's decision: Approve or Reject (the button pressed), with a comment (a
    rejection needs one)."""

    DECISIONS = (("approve", _("Approve")), ("reject", _("Reject")))

    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Required to reject: the requester reads it."))
    # Sent by the button pressed, not an input of its own.
    decision = forms.ChoiceField(choices=DECISIONS)

    def __init__(self, *args, submission_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("submission_decide", args=[submission_id])
        self.helper.form_id = "decide-form"
        self.helper.layout = Layout(
            "comment",
            Div(StrictButton(_("Approve"), type="submit", name="decision", value="approve",
                             css_class="btn-success btn-sm", css_id="approve-button"),
                StrictButton(_("Reject"), type="submit", name="decision", value="reject",
                             css_class="btn-outline-danger btn-sm", css_id="reject-button"),
                css_class="d-flex gap-2"))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say why it is rejected: the requester reads it."))
        return data
