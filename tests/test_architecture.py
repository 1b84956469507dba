"""Dependencies point one way (architecture.md): jobs → waves → wizard → contract; drs → contract;
sandbox → contract; audit and roles below the wizard and jobs; the contract is pure Python.
Every import in drsui/ is read with `ast` (also one inside a function), relative ones resolved."""

import ast
import re
from pathlib import Path

import pytest

DRSUI = Path(__file__).resolve().parent.parent / "drsui"

# Importing module (prefix) → module prefixes it must not import.
FORBIDDEN = {
    "drsui.wizard": ("drsui.jobs", "drsui.notify", "drsui.waves"),
    "drsui.waves": ("drsui.jobs", "drsui.notify"),  # jobs sends a wave's rows
    "drsui.jobs": ("drsui.notify",),  # notify listens to jobs' signal
    "drsui.drs": ("drsui.wizard", "drsui.jobs", "drsui.sandbox"),
    "drsui.sandbox": ("drsui.wizard", "drsui.jobs", "drsui.drs"),
    "drsui.audit": ("drsui.wizard", "drsui.jobs", "drsui.waves"),
    "drsui.roles": ("drsui.wizard", "drsui.jobs", "drsui.waves"),
    # The background loops' shared shape, which both jobs and notify import.
    "drsui.loop": ("drsui.wizard", "drsui.jobs", "drsui.notify", "drsui.waves"),
}
DRSUI_APPS_AND_MODULES = tuple(sorted(
    f"drsui.{p.stem}" for p in DRSUI.iterdir()
    if p.stem != "contract" and (p.suffix == ".py" or (p / "__init__.py").exists())))
# The contract imports nothing from Django (nor a Django package) and no other part of drsui.
FORBIDDEN["drsui.contract"] = ("django", "django_*", *DRSUI_APPS_AND_MODULES)


def _module_name(path: Path) -> str:
    parts = path.relative_to(DRSUI.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module `source` (the code of `module`) imports: for `from a import b`, both a
    and a.b (b may be a module)."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _matches(name: str, prefix: str) -> bool:
    if prefix.endswith("*"):
        return name.startswith(prefix[:-1])
    return name == prefix or name.startswith(prefix + ".")


def forbidden_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """"module imports target" for each import the rules forbid."""
    rules = [banned for owner, banned in FORBIDDEN.items() if _matches(module, owner)]
    return sorted(
        f"{module} imports {name}"
        for name in imported_modules(source, module, is_package=is_package)
        for banned in rules for prefix in banned if _matches(name, prefix))


def test_no_module_in_drsui_imports_against_the_direction():
    problems = []
    for path in sorted(DRSUI.rglob("*.py")):
        problems += forbidden_imports(path.read_text(encoding="utf-8"), _module_name(path),
                                      is_package=path.name == "__init__.py")
    assert problems == []


def test_every_rule_names_code_that_exists():
    for prefix in [*FORBIDDEN, "drsui.jobs"]:
        assert any(_module_name(p).startswith(prefix) for p in DRSUI.rglob("*.py")), prefix


@pytest.mark.parametrize("module, source", [
    ("drsui.wizard.views", "from drsui.jobs.services import submission_create"),
    ("drsui.wizard.selectors", "def f():\n    from drsui.jobs import models\n"),
    ("drsui.wizard.selectors", "from drsui import jobs"),
    ("drsui.wizard.management.commands.x", "import drsui.jobs.models"),
    ("drsui.contract.validate.walker", "from django.conf import settings"),
    ("drsui.contract.rules", "import django_htmx"),
    ("drsui.contract.rules", "from drsui.wizard.steps import STEPS"),
    ("drsui.contract.validate.node", "from ...drs import client"),
    ("drsui.drs.client", "from drsui.jobs.models import Submission"),
    ("drsui.sandbox.views", "from drsui.wizard.forms import derive"),
    ("drsui.audit.services", "from ..jobs.models import Submission"),
    ("drsui.roles", "from drsui.wizard.selectors import draft_list_for_user"),
])
def test_a_forbidden_import_is_found(module, source):
    assert forbidden_imports(source, module) != []


@pytest.mark.parametrize("module, source", [
    ("drsui.jobs.services", "from drsui.wizard.models import Draft"),
    ("drsui.wizard.services", "from drsui.audit.services import audit_record"),
    ("drsui.contract.validate.node", "from .. import checks\nfrom ..rules import az_count_for"),
    ("drsui.drs.errors", "from drsui.contract import error_msg_parse"),
    ("drsui.sandbox.views", "from drsui.contract import validate_now"),
])
def test_an_allowed_import_passes(module, source):
    assert forbidden_imports(source, module) == []


# Template tag libraries: the app whose templatetags/ holds each, found on disk.
TAG_LIBRARIES = {p.stem: f"drsui.{p.parent.parent.name}"
                 for p in DRSUI.glob("*/templatetags/*.py") if p.stem != "__init__"}
TEMPLATES = DRSUI.parent / "templates"


def template_loads_against_the_direction(text: str, app: str) -> list[str]:
    """The tag libraries a template of `app` (templates/<app>/) loads from an app it must not
    import: a dependency the import rules above cannot see."""
    loaded = {name for load in re.findall(r"{%\s*load\s+([^%]*?)\s*%}", text)
              for name in load.split() if name != "from"}
    banned = FORBIDDEN.get(f"drsui.{app}", ())
    return sorted(f"{TAG_LIBRARIES[name]} ({name})" for name in loaded
                  if name in TAG_LIBRARIES
                  and any(_matches(TAG_LIBRARIES[name], prefix) for prefix in banned))


def test_no_template_of_an_app_loads_tags_against_the_direction():
    problems = [f"{path.relative_to(TEMPLATES)} loads {library}"
                for path in sorted(TEMPLATES.glob("*/**/*.html"))
                for library in template_loads_against_the_direction(
                    path.read_text(encoding="utf-8"), path.relative_to(TEMPLATES).parts[0])]
    assert problems == []


def test_a_wizard_template_loading_the_jobs_tags_is_seen():
    assert template_loads_against_the_direction(
        "{% load i18n drsui_ops %}{% approvals_waiting as n %}", "wizard") == [
        "drsui.jobs (drsui_ops)"]
    assert template_loads_against_the_direction("{% load drsui_ops %}", "jobs") == []
