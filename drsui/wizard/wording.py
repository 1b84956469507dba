"""How the contract's verdict on a value reads under its field on the form.

The contract words its messages for an API client: field names in brackets, JSON notes
('written as a string, e.g. "3306"'). Under a field the person sees its label and the limit in
words, once: the message about a value replaces the help text that states the same limit.
Both languages: the contract's Chinese keeps the same notes in its own punctuation.
"""

import re

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .fields import Field

# ', written as a string, e.g. "3306"' and ' written as a string of digits'; '(db_user)';
# in Chinese '，以字符串形式填写，例如"3306"', '，以数字字符串形式填写' and '（db_user）'.
_API_NOTES = re.compile(
    r',? written as a string(?: of digits)?(?:, e\.g\. "[^"]*")?'
    r'| \((?:[a-z]+(?:_[a-z0-9]+)+|ip|id)\)'
    r'|，以(?:数字)?字符串形式填写(?:，例如"[^"]*")?'
    r'|（(?:[a-z]+(?:_[a-z0-9]+)+|ip|id)）')

# (api name, rule): what the form says where the contract's wording names the field otherwise.
SAID = {
    ("name", "R-01"): gettext_lazy("Task name must be 4–50 characters: letters, digits, - and "
                                   "_, starting with a letter."),
    ("expired_days", "R-03"): gettext_lazy("Enter a whole number of days from 14 to 100."),
    # The only R-30 message its checkbox can bring: it is shown where true is allowed.
    ("is_target_readonly", "R-30"): gettext_lazy("Single-active disaster recovery needs the "
                                                 "target set read-only."),
}


def plain(message: str) -> str:
    """The contract's message without its API notes."""
    return _API_NOTES.sub("", message)


def _names_several(label) -> bool:
    """Whether a label names several things ("Tags"), judged on its English wording."""
    with translation.override("en"):
        english = str(label)
    return english.endswith("s") and not english.endswith("ss")


def on_form(f: Field | None, rule: str, message: str, held) -> tuple[str, bool]:
    """(what the form says, whether it replaces the field's help): a value refused is said
    with the limit it broke, which is what the help says; a missing one keeps the help.
    `held`: what the body holds where the violation is (None: nothing)."""
    if f is None:
        return plain(message), False
    if held is None:  # a value the API requires is missing
        if _names_several(f.label):
            return _("%(label)s are required.") % {"label": f.label}, False
        return _("%(label)s is required.") % {"label": f.label}, False
    said = SAID.get((f.api_name, rule))
    return (str(said) if said is not None else plain(message)), True
