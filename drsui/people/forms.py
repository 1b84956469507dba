from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .services import time_zone_names


class PreferenceForm(forms.Form):
    """The preferences page: a language and a time zone, each may be left to the browser."""

    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    time_zone = forms.ChoiceField(label=gettext_lazy("Time zone"), required=False)

    def __init__(self, *args, browser_zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As the browser says")),
                                           *settings.LANGUAGES]
        browser = (_("As the browser says (%(zone)s)") % {"zone": browser_zone}
                   if browser_zone else _("As the browser says"))
        self.fields["time_zone"].choices = [("", browser),
                                            *((name, name) for name in time_zone_names())]
        self.helper = FormHelper()
        self.helper.layout = Layout("language", "time_zone",
                                    StrictButton(_("Save"), type="submit",
                                                 css_class="btn-primary"))
