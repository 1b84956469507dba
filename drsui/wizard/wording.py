"""How the contract's verdict on a value reads under its field on the form.

The contract words its messages for an API client: field names in brackets, JSON notes
('written as a string, e.g. "3306"'). Under a field the person sees its label and the limit in
words, once: the message about a value replaces the help text that states the same limit.
"""

import re

from .fields import Field

# ', written as a string, e.g. "3306"' and ' written as a string of digits'; '(db_user)'.
_API_NOTES = re.compile(
    r',? written as a string(?: of digits)?(?:, e\.g\. "[^"]*")?'
    r'| \((?:[a-z]+(?:_[a-z0-9]+)+|ip|id)\)')

# (api name, rule): what the form says where the contract's wording names the field otherwise.
SAID = {
    ("name", "R-01"): "Task name must be 4–50 characters: letters, digits, - and _, starting "
                      "with a letter.",
    ("expired_days", "R-03"): "Enter a whole number of days from 14 to 100.",
    # The only R-30 message its checkbox can bring: it is shown where true is allowed.
    ("is_target_readonly", "R-30"): "Single-active disaster recovery needs the target set "
                                    "read-only.",
}


def plain(message: str) -> str:
    """The contract's message without its API notes."""
    return _API_NOTES.sub("", message)


def on_form(f: Field | None, rule: str, message: str, held) -> tuple[str, bool]:
    """(what the form says, whether it replaces the field's help): a value refused is said
    with the limit it broke, which is what the help says; a missing one keeps the help.
    `held`: what the body holds where the violation is (None: nothing)."""
    if f is None:
        return plain(message), False
    if held is None:  # a value the API requires is missing
        verb = "are" if f.label.endswith("s") and not f.label.endswith("ss") else "is"
        return f"{f.label} {verb} required.", False
    return SAID.get((f.api_name, rule), plain(message)), True
