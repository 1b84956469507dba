"""manage.py drs_validate FILE [FILE ...]: check DRS create-job bodies against the contract."""

import argparse
import json
import sys

from django.core.management.base import BaseCommand, DjangoHelpFormatter
from django.utils import translation
from django.utils.translation import gettext as _

from drsui.contract import parse_body, validate

EPILOG = """\
Each input gives one line of JSON on stdout, in the order given:
  {"file": "job.json", "valid": false, "errors": [{"field": "base_info.name",
   "rule": "R-01", "message": "..."}]}
"field" is the path inside "job"; "rule" is the rule id of create-job-reference.md.
An input that cannot be read also gets "error" saying why. The messages are in the
language of --lang (en-us or zh-cn, as DRS's X-Language); keys and rule ids never change.

example:
  python manage.py drs_validate job.json other.json
  python manage.py drs_validate --lang zh-cn job.json
  curl -s .../draft.json | python manage.py drs_validate -

exit codes:
  0  every input is valid
  1  at least one input breaks a rule
  2  at least one input could not be opened or is not JSON
"""


# --lang: DRS's X-Language values, and drsui's own language codes.
LANGUAGES = {"en-us": "en", "en": "en", "zh-cn": "zh-hans", "zh-hans": "zh-hans"}


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    pass


def _load(name):
    """(body, None) or (None, reason)."""
    try:
        if name == "-":
            text = sys.stdin.buffer.read().decode("utf-8-sig")
        else:
            with open(name, encoding="utf-8-sig") as handle:
                text = handle.read()
    except OSError as error:
        return None, _("cannot open: %(reason)s") % {"reason": error.strerror or error}
    except UnicodeDecodeError:
        return None, _("not valid JSON: the file is not UTF-8 text")
    try:
        return parse_body(text), None
    except json.JSONDecodeError as error:
        # error.msg is the json module's own English ("Expecting value"), kept as it is.
        return None, _("not valid JSON: %(reason)s at line %(line)s column %(column)s") % {
            "reason": error.msg, "line": error.lineno, "column": error.colno}
    except ValueError as error:
        return None, _("not valid JSON: %(reason)s") % {"reason": error}


class Command(BaseCommand):
    help = (
        'Validate DRS create-job request bodies ({"job": {...}}) against the contract\n'
        "(rules R-00 to R-60 of create-job-reference.md) without sending anything.\n"
        "Reads each FILE, or stdin for '-'."
    )
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs.setdefault("epilog", EPILOG)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="+", metavar="FILE", help="JSON body to check; '-' reads stdin."
        )
        parser.add_argument(
            "--lang", default="en-us", type=str.lower, choices=sorted(LANGUAGES),
            help="language of the messages (default en-us); keys and rule ids stay as they are.",
        )

    def handle(self, *args, files, lang, **options):
        with translation.override(LANGUAGES[lang]):
            code = self._check(files)
        sys.exit(code)

    def _check(self, files) -> int:
        code = 0
        for name in files:
            body, reason = _load(name)
            if reason:
                line = {"file": name, "valid": False, "error": reason, "errors": []}
                code = 2
            else:
                errors = [v.as_dict() for v in validate(body)]
                line = {"file": name, "valid": not errors, "errors": errors}
                if errors:
                    code = max(code, 1)
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        return code
