"""The issue's guard (#14): "A test fails when a user-facing string in Python or a template is
not marked for translation, or has no Chinese entry."

- Chinese entries: `makemessages` over a copy of the tree (the repository's catalogs are never
  touched), then every msgid of every catalog must have a msgstr and no `fuzzy` flag.
- Templates: Django's Lexer splits each template; what is outside `{% translate %}`,
  `{% blocktranslate %}…{% endblocktranslate %}` and `{% comment %}` is read with html.parser:
  visible text and the `title`/`placeholder`/`aria-label`/`alt` attributes (and the `value` of an
  input button) that hold letters, beyond the product and technical names of ALLOWED_WORDS.
- Python (drsui/, migrations aside): string constants that read as prose, outside a
  gettext-family call, a docstring, a logging call, a developer's exception, argparse help, and
  outside the modules of EXEMPT_MODULES (for operators and developers only: English).

Each check is proved able to fail on a small unmarked sample (the `*_can_fail` tests)."""

import ast
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path

import polib
from django.template.base import Lexer, TokenType
from django.utils import translation

REPO = Path(__file__).resolve().parent.parent
DRSUI = REPO / "drsui"

# Product, protocol and format names that stay as they are in Chinese (the DRS console keeps
# them too), and drsui's own name. A word here is never reported, in a template or in Python.
ALLOWED_WORDS = {
    "drsui", "DRS", "IAM", "API", "JSON", "CSV", "HCL", "Terraform", "curl", "HTTP", "HTTPS",
    "URL", "ID", "IP", "IPs", "DNS", "SSL", "TLS", "CA", "VPC", "VPN", "EIP", "ECS", "RDS", "AZ",
    "AK", "SK", "UTC", "GMT", "MySQL", "PostgreSQL", "Oracle", "Redis", "MongoDB", "GaussDB",
    "DDS", "TaurusDB", "Kafka", "SQL", "Server", "Microsoft", "Huawei", "Cloud", "OK", "v5",
    "English", "XLSX",
}
# Modules whose strings are for operators and developers only (English by the rules).
EXEMPT_MODULES = {
    "drsui/settings.py": "settings: start-up refusals and names",
    "drsui/production.py": "production start-up refusals (operators)",
    "drsui/logs.py": "log records and their format",
    "drsui/gunicorn_conf.py": "the web server's configuration",
    "drsui/metrics/": "Prometheus metric names and help",
    "drsui/sqlite/": "a database backend (developers)",
    "drsui/wsgi.py": "the WSGI entry point",
    "drsui/asgi.py": "the ASGI entry point",
    "drsui/wizard/management/commands/drsui_demo.py": "operator command output",
    "drsui/wizard/management/commands/drsui_rotate_keys.py": "operator command output",
    "drsui/sandbox/management/commands/": "operator commands (drs_sandbox, runserver)",
    "drsui/jobs/management/commands/drsui_refresh_status.py": "operator command output",
    "drsui/notify/management/commands/": "operator command output",
    "drsui/health.py": "/healthz and /readyz: JSON for probes and operators",
    "drsui/sandbox/tokens.py": "the API gateway's own English reasons, as the real one says them",
    "drsui/sandbox/faults.py": "the fault settings' control API (tests, operators)",
}
GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext",
                     "ngettext_lazy", "pgettext", "pgettext_lazy", "npgettext",
                     "npgettext_lazy"}
# Calls whose string arguments are not shown to people.
NOT_SHOWN_CALLS = {
    # logging
    "debug", "info", "warning", "error", "exception", "critical", "log", "warn",
    # exceptions for developers and operators
    "ImproperlyConfigured", "CommandError", "RuntimeError", "TypeError", "NotImplementedError",
    "AssertionError", "KeyError", "AttributeError", "LookupError", "SystemExit",
    # argparse and management commands
    "add_argument", "add_mutually_exclusive_group", "add_argument_group", "create_parser",
    # names of things, not words
    "get_model", "ForeignKey", "OneToOneField", "ManyToManyField", "getattr", "setattr",
    "hasattr", "getenv", "compile", "match", "fullmatch", "search", "sub", "split", "findall",
    "strftime", "strptime", "startswith", "endswith", "path", "re_path", "include",
    "reverse", "redirect", "get", "getlist", "has_header", "pop", "setdefault",
}
NOT_SHOWN_ASSIGNMENTS = {"help", "epilog", "EPILOG", "__all__"}  # argparse help, exports
NOT_SHOWN_KEYWORDS = {"help", "metavar", "css_class", "css_id", "template", "template_name"}
# HTML attributes (a widget's attrs, a crispy helper's) whose values are not read as words.
NOT_TEXT_ATTRIBUTE = re.compile(r"hx-.*|data-.*|class|id|name|type|pattern|autocomplete|"
                                r"accept|inputmode|rel|target|role|method|action|href|src")

# Protocol words a string may be exactly: HTTP reason phrases of two words or more ("Bad
# Request", as an API's error title), and header names. ("Created" alone is also a status word.)
PROTOCOL_WORDS = {status.phrase for status in HTTPStatus if " " in status.phrase} | {
    "Unauthorized", "Authorization", "Forwarded", "Location", "Referer"}
# A line may say why its strings stay English, e.g. a developer's ValueError:
#     raise ValueError("set_path needs a non-empty path.")  # not translated: developers
NOT_TRANSLATED_COMMENT = re.compile(r"#\s*not translated\b")

LETTERS = re.compile(r"[A-Za-z]")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]|%[sdrf]|\{[^{}]*\}")


def _without_allowed(text: str) -> str:
    return WORD.sub(lambda m: "" if m.group() in ALLOWED_WORDS else m.group(), text)


def shows_words(text: str) -> bool:
    """Text a person would read as words, once names of ALLOWED_WORDS are taken out."""
    return bool(LETTERS.search(_without_allowed(PLACEHOLDER.sub("", text))))


# ---------------------------------------------------------------------------------------------
# Templates


class _VisibleText(HTMLParser):
    """Unmarked visible text of an HTML page whose template parts are replaced by a mark."""

    CHECKED_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
    NOT_TEXT = {"script", "style", "code", "pre", "kbd", "samp"}  # code, data or API names

    def __init__(self, line_offset=0):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.line_offset = line_offset
        self.open_not_text: list[str] = []

    def _report(self, text):
        # blank out attribute text outside a tag, keeping the line breaks
        text = ATTRIBUTE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
        if shows_words(text):
            shown = " ".join(text.replace(MARK, " {…} ").split())
            shown = re.sub(r"^(\{…\} )+|( \{…\})+$", "", shown)
            line = self.getpos()[0] + text[:LETTERS.search(text).start()].count("\n")
            self.found.append((line + self.line_offset, shown))

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in self.CHECKED_ATTRIBUTES:
            if values.get(name):
                self._report(values[name])
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            self._report(values.get("value") or "")
        if tag in self.NOT_TEXT:
            self.open_not_text.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open_not_text:
            while self.open_not_text and self.open_not_text.pop() != tag:
                pass

    def handle_data(self, data):
        if not self.open_not_text:
            self._report(data)


# An attribute outside any tag (a partial that holds a tag's hx-* attributes).
ATTRIBUTE = re.compile(r"""[\w:.@-]+=("[^"]*"|'[^']*')""")
MARK = "\x7f"  # stands for a template tag or variable: no letters, so never reported


def _template_as_html(source: str) -> str:
    """The template with every tag, variable, comment and translated part replaced by MARK
    (keeping its line breaks, for the line numbers)."""
    html, skipping = [], None
    for token in Lexer(source).tokenize():
        text = token.contents
        raw = token.token_type == TokenType.TEXT
        if token.token_type == TokenType.BLOCK:
            name = text.split(maxsplit=1)[0] if text else ""
            if skipping is None and name in ("blocktranslate", "blocktrans", "comment",
                                             "verbatim"):
                skipping = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans",
                            "comment": "endcomment", "verbatim": "endverbatim"}[name]
            elif name == skipping:
                skipping = None
        if raw and skipping is None:
            html.append(text)
        else:
            html.append(MARK + "\n" * text.count("\n"))
    return "".join(html)


def unmarked_in_template(source: str) -> list[tuple[int, str]]:
    """(line, text) of every visible text or checked attribute not marked for translation."""
    parser = _VisibleText()
    parser.feed(_template_as_html(source))
    parser.close()
    return parser.found


def template_files() -> list[Path]:
    return sorted([*(REPO / "templates").rglob("*.html"), *DRSUI.rglob("templates/**/*.html")])


# ---------------------------------------------------------------------------------------------
# Python


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.IfExp):  # (log.error if created else log.warning)(...)
        func = func.body
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


WORD_TOKEN = re.compile(r"[(\"“「]?[A-Za-z][A-Za-z'’\-]*[.,;:!?…)\"”]*")


def _reads_as_prose(text: str) -> bool:
    """Words a person reads: two words of letters side by side, or one capitalised word; not
    a list of names (CSS classes, fields), a header value, SQL, or HTML without visible text."""
    if text.strip() in PROTOCOL_WORDS:
        return False
    if "<" in text and ">" in text or "{%" in text:  # HTML or a template: its visible text
        return bool(unmarked_in_template(text))
    tokens = _without_allowed(PLACEHOLDER.sub(" ", text)).split()
    if all(re.fullmatch(r"[a-z0-9_\-]+", t) for t in tokens) and any(
            re.search(r"[_\-]", t) for t in tokens):
        return False  # "btn btn-sm btn-primary", "source_endpoint target_endpoint"
    if re.match(r"(SELECT|UPDATE|INSERT|DELETE|WITH|CREATE|PRAGMA)\b", " ".join(tokens)):
        return False
    words = [bool(WORD_TOKEN.fullmatch(t)) and len(re.sub(r"\W", "", t)) > 1 for t in tokens]
    if any(a and b for a, b in zip(words, words[1:], strict=False)):
        return True
    return len(tokens) == 1 and bool(re.fullmatch(r"[A-Z][a-z]+[.!?…:]?", tokens[0]))


class _UnmarkedStrings(ast.NodeVisitor):
    def __init__(self, tree: ast.Module):
        self.found: list[tuple[int, str]] = []
        self.gettext_names = set(GETTEXT_FUNCTIONS)
        self.skipped: set[int] = set()  # ids of constants not to look at
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name in GETTEXT_FUNCTIONS:
                        self.gettext_names.add(alias.asname or alias.name)
            if isinstance(node, ast.FunctionDef) and node.name in ("__str__", "__repr__"):
                self.skipped.update(id(n) for n in ast.walk(node))  # an object's name (admin)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                 ast.AsyncFunctionDef)) and node.body:
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    self.skipped.add(id(first.value))  # a docstring

    def _skip_all(self, *nodes):
        for node in nodes:
            if node is not None:
                self.skipped.update(id(n) for n in ast.walk(node))

    def visit_Call(self, node):
        name = _called_name(node)
        if name in self.gettext_names or name in NOT_SHOWN_CALLS:
            self._skip_all(*node.args, *(k.value for k in node.keywords))
        else:
            self._skip_all(*(k.value for k in node.keywords if k.arg in NOT_SHOWN_KEYWORDS))
        self.generic_visit(node)

    def visit_Assign(self, node):
        if any(isinstance(t, ast.Name) and t.id in NOT_SHOWN_ASSIGNMENTS for t in node.targets):
            self._skip_all(node.value)
        self.generic_visit(node)

    def visit_Assert(self, node):
        self._skip_all(node.msg)
        self.generic_visit(node)

    def visit_Compare(self, node):  # `x == "Some value"`: a value compared, not shown
        self._skip_all(node.left, *node.comparators)
        self.generic_visit(node)

    def visit_Subscript(self, node):  # `row["Some key"]`
        self._skip_all(node.slice)
        self.generic_visit(node)

    def visit_Dict(self, node):  # keys name things; values may be words
        self._skip_all(*node.keys)
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and NOT_TEXT_ATTRIBUTE.fullmatch(str(key.value)):
                self._skip_all(value)
        self.generic_visit(node)

    def visit_JoinedStr(self, node):
        if id(node) not in self.skipped:
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            if _reads_as_prose(text):
                self.found.append((node.lineno, text))
        self._skip_all(*node.values)

    def visit_Constant(self, node):
        if (isinstance(node.value, str) and id(node) not in self.skipped
                and _reads_as_prose(node.value)):
            self.found.append((node.lineno, node.value))


def unmarked_in_python(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    visitor = _UnmarkedStrings(tree)
    visitor.visit(tree)
    lines = source.splitlines()
    return sorted((line, text) for line, text in visitor.found
                  if not NOT_TRANSLATED_COMMENT.search(lines[line - 1]))


def python_files() -> list[Path]:
    def exempt(path: Path) -> bool:
        relative = path.relative_to(REPO).as_posix()
        return "/migrations/" in relative or any(
            relative == m or (m.endswith("/") and relative.startswith(m)) for m in EXEMPT_MODULES)

    return [p for p in sorted(DRSUI.rglob("*.py")) if not exempt(p)]


# ---------------------------------------------------------------------------------------------
# Catalogs


def untranslated_in_catalog(path: Path) -> list[str]:
    """Each msgid of the catalog without Chinese: an empty msgstr, or one marked fuzzy."""
    problems = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        strings = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif not all(strings):
            problems.append(f"no Chinese: {entry.msgid!r}")
    return problems


def shadowed_in_catalog(path: Path) -> list[str]:
    """Each entry whose Chinese is not what a Chinese page says: a catalog found before it
    (another area's, or one of Django's apps') translates the same msgid otherwise."""
    problems = []
    with translation.override("zh-hans"):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            context = (entry.msgctxt + "\x04") if entry.msgctxt else ""  # as pgettext does
            if entry.msgid_plural:
                shown = translation.ngettext(context + entry.msgid, entry.msgid_plural, 1)
                written = entry.msgstr_plural[0]
            else:
                shown = translation.gettext(context + entry.msgid)
                written = entry.msgstr
            if written and shown != written:
                problems.append(f"{entry.msgid!r} shows as {shown!r}, not {written!r}")
    return problems


def catalogs(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("zh_Hans/LC_MESSAGES/django.po")
                  if ".venv" not in p.parts)


def extract_into_copy(tmp_path: Path) -> Path:
    """`make messages` over a copy of the code and catalogs; the copy's root."""
    copy = tmp_path / "tree"
    skip = shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc")
    for name in ("drsui", "templates", "locale"):
        shutil.copytree(REPO / name, copy / name, ignore=skip)
    shutil.copy(REPO / "manage.py", copy / "manage.py")
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete",
         "--ignore=tests", "--ignore=bench", "--ignore=tools", "--ignore=staticfiles",
         "--ignore=static"],
        cwd=copy, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return copy


# ---------------------------------------------------------------------------------------------
# The checks over the repository

def test_every_marked_string_has_its_chinese(tmp_path):
    copy = extract_into_copy(tmp_path)
    problems = [f"{po.relative_to(copy)}: {problem}"
                for po in catalogs(copy) for problem in untranslated_in_catalog(po)]
    assert problems == [], "\n".join(problems)


def test_every_catalogs_chinese_is_what_a_page_shows():
    problems = [f"{po.relative_to(REPO)}: {problem}"
                for po in catalogs(REPO) for problem in shadowed_in_catalog(po)]
    assert problems == [], "\n".join(problems)


def test_every_visible_text_of_a_template_is_marked():
    problems = [f"{path.relative_to(REPO)}:{line}: {text}"
                for path in template_files()
                for line, text in unmarked_in_template(path.read_text(encoding="utf-8"))]
    assert problems == [], "\n".join(problems)


def test_every_string_a_person_reads_in_python_is_marked():
    problems = [f"{path.relative_to(REPO)}:{line}: {text!r}"
                for path in python_files()
                for line, text in unmarked_in_python(path.read_text(encoding="utf-8"))]
    assert problems == [], "\n".join(problems)


def test_the_catalogs_found_are_every_area():
    found = {p.relative_to(REPO).parts[:-3] for p in catalogs(REPO)}
    assert found >= {("locale",), ("drsui", "contract", "locale"), ("drsui", "drs", "locale"),
                     ("drsui", "wizard", "locale"), ("drsui", "jobs", "locale"),
                     ("drsui", "sandbox", "locale"), ("drsui", "audit", "locale"),
                     ("drsui", "people", "locale"), ("drsui", "notify", "locale")}


def test_every_exempt_module_exists():
    for module in EXEMPT_MODULES:
        assert (REPO / module).exists(), module


# ---------------------------------------------------------------------------------------------
# Each check can fail


def test_the_catalog_check_can_fail(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Save"\nmsgstr "保存"\n\n'
                  'msgid "Next"\nmsgstr ""\n\n'
                  '#, fuzzy\nmsgid "Back"\nmsgstr "上一步"\n\n'
                  'msgid "%(n)s draft"\nmsgid_plural "%(n)s drafts"\nmsgstr[0] ""\n',
                  encoding="utf-8")
    assert untranslated_in_catalog(po) == [
        "no Chinese: 'Next'", "fuzzy: 'Back'", "no Chinese: '%(n)s draft'"]


def test_the_shadow_check_can_fail(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Log out"\nmsgstr "注销"\n', encoding="utf-8")
    assert shadowed_in_catalog(po) == ["'Log out' shows as '退出登录', not '注销'"]


def test_extraction_finds_a_new_unmarked_translation(tmp_path):
    """The extraction sees a string just marked in the code (the copy's), without Chinese."""
    copy = tmp_path / "tree"
    shutil.copytree(REPO / "drsui" / "people", copy / "drsui" / "people",
                    ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    (copy / "drsui" / "people" / "extra.py").write_text(
        'from django.utils.translation import gettext as _\n\n'
        'WORDS = _("A sentence nobody translated yet.")\n')
    done = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "makemessages", "-l", "zh_Hans"],
        cwd=copy / "drsui" / "people", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "no Chinese: 'A sentence nobody translated yet.'" in untranslated_in_catalog(
        copy / "drsui" / "people" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")


def test_the_template_check_can_fail():
    source = """{% load i18n %}<h1>{% translate "My drafts" %}</h1>
<p title="Saved at {{ when }}">{% blocktranslate trimmed with n=count %}
  {{ n }} drafts{% endblocktranslate %}</p>
{% comment %}Not shown{% endcomment %}<code>db_port</code> <span>MySQL · {{ x }}</span>
<button type="submit">Delete</button><input type="submit" value="Go">
<img alt="{% translate 'Logo' %}" src="x.png"><input placeholder="Search by name">
<script type="application/json">{"words": "Saving"}</script>
{% partialdef hx %} hx-post="{{ request.path }}" hx-swap="outerHTML"{% endpartialdef %}
{% if x %}
  Nothing yet{% endif %}"""
    assert unmarked_in_template(source) == [
        (2, "Saved at"), (5, "Delete"), (5, "Go"), (6, "Search by name"),
        (10, "Nothing yet")]


def test_the_python_check_can_fail():
    source = '''"""A docstring is not shown."""
import logging
from django.utils.translation import gettext_lazy as lazy, gettext as _
log = logging.getLogger(__name__)
LABEL = lazy("Task name")
NOTE = "Leave it empty to keep it."
STATUS = ("created", "Created")
CLASSES = "btn btn-sm btn-primary"
ATTRS = {"hx-trigger": "submit, change from:#f select", "placeholder": "Search by name"}
def f(name, row):
    log.warning("Sent %s to DRS", name)
    if row["Task name"] == "Not this one":
        raise RuntimeError("Developers read this")
    html = '<a class="btn" href="{}">Fix it</a>'
    marked = '<a href="{}">{% translate "Fix it" %}</a>'
    raise ValueError("set_path needs a path")  # not translated: developers
    return _("Hello %(name)s") % {"name": name}, f"Draft {name} was saved"
class Draft:
    def __str__(self):
        return f"draft {self.pk} of owner"
def g(response):
    response["Content-Type"] = "text/csv; charset=utf-8"
    return "Bad Request", ("X-Forwarded-For", "Forwarded"), path("drafts/<int:id>/", g)
'''
    assert unmarked_in_python(source) == [
        (6, "Leave it empty to keep it."), (7, "Created"), (9, "Search by name"),
        (14, '<a class="btn" href="{}">Fix it</a>'), (17, "Draft {} was saved")]
