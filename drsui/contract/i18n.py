"""The contract's messages in the person's language, without importing Django.

Every message is English source text marked for gettext: `_("...")` where it is said,
`gettext_noop("...")` on a module constant (said later as `_(constant)`), `ngettext` for a
count, `pgettext` where one English word needs two words in another language. Until an app
installs a translator with use_translation() (the wizard and the sandbox install Django's, in
ready()), every message is its English text.
"""

from collections.abc import Mapping


def _english(message):
    return message


def _english_plural(singular, plural, number):
    return singular if number == 1 else plural


def _english_in_context(context, message):
    return message


def _no_language():
    return None


_installed = {
    "gettext": _english,
    "ngettext": _english_plural,
    "pgettext": _english_in_context,
    "get_language": _no_language,
}


def use_translation(gettext, ngettext, pgettext, get_language):
    """Say the contract's messages with these functions (Django's, of the same names)."""
    _installed.update(
        gettext=gettext, ngettext=ngettext, pgettext=pgettext, get_language=get_language
    )


def gettext(message: str) -> str:
    return _installed["gettext"](message)


_ = gettext


def gettext_noop(message: str) -> str:
    """Marks a message for the catalog; it is translated where it is said, with _()."""
    return message


def ngettext(singular: str, plural: str, number: int) -> str:
    return _installed["ngettext"](singular, plural, number)


def pgettext(context: str, message: str) -> str:
    return _installed["pgettext"](context, message)


class Worded(Mapping):
    """A read-only table of messages in the active language. `build()` returns the table
    worded with _() and pgettext(); it is called once per language (and translator)."""

    def __init__(self, build):
        self._build = build
        self._tables = {}

    def _table(self) -> dict:
        key = (_installed["gettext"], _installed["get_language"]())
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = self._build()
        return table

    def __getitem__(self, key):
        return self._table()[key]

    def get(self, key, default=None):
        return self._table().get(key, default)

    def __iter__(self):
        return iter(self._table())

    def __len__(self):
        return len(self._table())

    def __repr__(self):
        return f"Worded({self._table()!r})"
