"""What a step's form was sent to do: its `_action`, read once.

The buttons of step.html and _frame.html post `_action` as a verb, or a verb and its argument
(`add:<path>`, `remove:<path>.<n>`, `drop:<path>`, `goto:<slug>`; `same_as_target`: the
Network step's node VPC from the target endpoint's); no button (Enter in a field)
means Next. Anything else is not a button of this page: it is read as Save, so what was typed is
kept, and said (`unknown`).
"""

from dataclasses import dataclass

# "autosave": what was typed, saved after a pause or when the page is left (static/drsui.js).
PLAIN = frozenset({"next", "back", "save", "update", "preview", "autosave", "same_as_target"})
WITH_ARG = frozenset({"add", "remove", "drop", "goto"})
# Re-render the form (a row added or removed, a deciding field changed, a value dropped):
# what changed is saved, nothing is validated but a drop's remains.
RERENDERS = frozenset({"update", "add", "remove", "drop", "same_as_target"})


@dataclass(frozen=True)
class StepAction:
    verb: str
    arg: str = ""
    unknown: bool = False  # not a button of this page: done as Save

    @classmethod
    def parse(cls, post) -> "StepAction":
        raw = post.get("_action") or "next"
        verb, colon, arg = raw.partition(":")
        if verb in PLAIN and not colon:
            return cls(verb)
        if verb in WITH_ARG and arg and (verb != "remove" or _row_of(arg)):
            return cls(verb, arg)
        return cls("save", unknown=True)

    @property
    def rerenders(self) -> bool:
        return self.verb in RERENDERS

    @property
    def validates(self) -> bool:
        """Next checks the step; after a drop, what is left is checked again."""
        return self.verb in ("next", "drop")

    @property
    def row_removed(self) -> tuple[str, int] | None:
        """("<rows or list path>", n) for `remove:<path>.<n>`."""
        return _row_of(self.arg) if self.verb == "remove" else None


SAVE = StepAction("save")


def _row_of(arg: str) -> tuple[str, int] | None:
    path, dot, index = arg.rpartition(".")
    return (path, int(index)) if dot and path and index.isascii() and index.isdigit() else None
