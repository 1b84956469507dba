"""The drafts' ordinary forms (import, rename, delete), rendered with crispy's Bootstrap 5 pack.

The wizard's steps are not Django forms: see forms.py (the step engine)."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout
from django import forms
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drsui import contract as c

from .selectors import projects_for_user
from .services import NO_PROJECT_GRANTED

MAX_IMPORT_BYTES = 1024 * 1024


def _buttons(*buttons) -> Div:
    return Div(*buttons, HTML('<a class="btn btn-outline-secondary" '
                              'href="{% url \'draft_list\' %}">' + escape(_("Cancel")) + "</a>"),
               css_class="d-flex gap-2")


class DraftSearchForm(forms.Form):
    """My drafts' search by name; the sort in force rides along."""

    q = forms.CharField(required=False, label=gettext_lazy("Search by name"),
                        widget=forms.SearchInput(attrs={
                            "placeholder": gettext_lazy("Search by name"),
                            "aria-label": gettext_lazy("Search by name")}))
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data):
        super().__init__(data, auto_id="draft-%s")
        self.fields["q"].validators.clear()  # a NUL is dropped (no name holds one), not refused
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "form-compact d-flex gap-1"
        self.helper.form_show_labels = False
        self.helper.attrs = {"role": "search"}
        self.helper.layout = Layout(
            Field("q", css_class="form-control-sm"), "sort",
            StrictButton(_("Search"), type="submit", css_class="btn-sm btn-outline-secondary"))

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "").strip()


class DraftImportForm(forms.Form):
    """A body in the API's format, pasted or as a file; `cleaned_data["job_body"]` is it parsed.

    A problem with the text is shown on the input it came from; the pasted text is kept."""

    # The user's projects only (ops: all); with none, nothing can be imported.
    project_id = forms.ModelChoiceField(
        queryset=None, empty_label=None, label=gettext_lazy("Cloud project"),
        error_messages={"invalid_choice": gettext_lazy("Choose a cloud project from the list."),
                        "required": NO_PROJECT_GRANTED})
    body = forms.CharField(required=False, strip=False, label=gettext_lazy("Paste the body"),
                           widget=forms.Textarea(attrs={"rows": 12}))
    file = forms.FileField(required=False, label=gettext_lazy("…or choose a file"),
                           widget=forms.FileInput(attrs={"accept": ".json,application/json"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, auto_id="import-%s", **kwargs)
        self.fields["project_id"].queryset = projects_for_user(user)
        if not self.fields["project_id"].queryset.exists():
            self.fields["project_id"].help_text = NO_PROJECT_GRANTED
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("project_id", css_class="form-select-sm"),
            Field("body", css_class="font-monospace"),
            Field("file", css_class="form-control-sm"),
            StrictButton(_("Import"), type="submit", css_class="btn-primary"),
        )

    def clean(self):
        data = super().clean()
        if "body" in self.errors or "file" in self.errors:
            return data
        upload = data.get("file")
        if upload and upload.size > MAX_IMPORT_BYTES:
            self.add_error("file", _("The file is larger than 1 MB: a DRS task body is a few "
                                     "KB."))
            return data
        source, raw = ("file", upload.read()) if upload else ("body", data["body"].encode())
        if len(raw) > MAX_IMPORT_BYTES:
            self.add_error(source, _("The pasted text is larger than 1 MB: a DRS task body is a "
                                     "few KB."))
        elif not raw.strip():
            self.add_error("body", _("Paste a body or choose a file."))
        else:
            try:
                data["job_body"] = _parse_job_body(raw)
            except ValueError as exc:
                self.add_error(source, str(exc))
        return data


def _parse_job_body(raw: bytes) -> dict:
    try:
        body = c.parse_body(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValueError(_("The file is not UTF-8 text.")) from None
    except ValueError as exc:
        raise ValueError(_("Not valid JSON: %(reason)s") % {"reason": str(exc)[:200]}) from None
    if not isinstance(body, dict) or not isinstance(body.get("job"), dict):
        raise ValueError(_('The body must be a JSON object of the API\'s form: {"job": {...}}.'))
    return body


class DraftRenameForm(forms.Form):
    """A new name for a draft: the task name's rule (base_info.name) decides."""

    name = forms.CharField(required=False, label=gettext_lazy("New name"))

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, auto_id=f"rename-{draft.pk}-%s", **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("draft_rename", args=[draft.pk])
        self.helper.layout = Layout(
            "name", _buttons(StrictButton(_("Save"), type="submit", css_class="btn-primary")))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        problems = [v for v in c.validate({"job": {"base_info": {"name": name}}})
                    if v.path == "base_info.name"]
        if problems:
            raise forms.ValidationError(problems[0].message)
        return name


class DraftDeleteForm(forms.Form):
    """Nothing to fill in: the confirmation is the button."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            _buttons(StrictButton(_("Delete"), type="submit", css_class="btn-danger")))
