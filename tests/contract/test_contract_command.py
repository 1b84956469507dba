"""`manage.py drs_validate` as ops people run it: one JSON line per input, exit 0/1/2.

Through call_command in this process; one test runs the real command line for its exit code."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.contract.bodies import EXAMPLES, SECRET_VALUES, full_body, mysql_sync_body

REPO = Path(__file__).resolve().parents[2]
NAME_MESSAGE = "Name must be 4–50 characters: letters, digits, - and _, starting with a letter."


def raw_output(*args, stdin="", monkeypatch=None):
    """(exit code, stdout text) of drs_validate with these arguments."""
    out = io.StringIO()
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    with pytest.raises(SystemExit) as exited:
        call_command("drs_validate", *map(str, args), stdout=out)
    return exited.value.code, out.getvalue()


def run(*args, stdin="", monkeypatch=None):
    code, text = raw_output(*args, stdin=stdin, monkeypatch=monkeypatch)
    return code, [json.loads(line) for line in text.splitlines()]


def test_the_command_line_exits_with_the_worst_code_and_writes_utf_8(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"job": {"base_info": {"name": "1x"}}}))
    done = subprocess.run([sys.executable, "manage.py", "drs_validate", str(EXAMPLES[0]), path],
                          cwd=REPO, capture_output=True, timeout=60)
    assert done.returncode == 1
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [line["valid"] for line in lines] == [True, False]
    assert NAME_MESSAGE in done.stdout.decode()  # UTF-8 as is (ensure_ascii=False), not \u2013


@pytest.fixture
def files(tmp_path):
    def write(name, content):
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return path

    return write


def test_valid_examples_exit_0_with_one_line_each():
    code, lines = run(*EXAMPLES)
    assert code == 0
    assert lines == [{"file": str(p), "valid": True, "errors": []} for p in EXAMPLES]


def test_an_invalid_body_exits_1_with_its_errors(files):
    body = mysql_sync_body()
    body["job"]["base_info"]["name"] = "1x"
    body["job"]["source_endpoint"][0]["endpoint"]["db_port"] = 5432
    path = files("bad.json", body)
    code, lines = run(path)
    assert code == 1
    assert lines == [
        {
            "file": str(path),
            "valid": False,
            "errors": [
                {
                    "field": "base_info.name",
                    "rule": "R-01",
                    "message": NAME_MESSAGE,
                },
                {
                    "field": "source_endpoint.0.endpoint.db_port",
                    "rule": "R-00",
                    "message": "Must be text in quotes (a JSON string), not a number.",
                },
            ],
        }
    ]
    assert NAME_MESSAGE in raw_output(path)[1]  # UTF-8 as is (ensure_ascii=False), not \u2013


def test_inputs_keep_their_order_and_the_worst_exit_code_wins(files):
    good = files("good.json", full_body())
    bad = files("bad.json", {"job": {}})
    broken = files("broken.json", "{")
    code, lines = run(bad, good, broken, good)
    assert code == 2
    assert [(line["file"], line["valid"]) for line in lines] == [
        (str(bad), False),
        (str(good), True),
        (str(broken), False),
        (str(good), True),
    ]
    assert (
        lines[2]["error"] == "not valid JSON: Expecting property name enclosed in double "
        "quotes at line 1 column 2"
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "not valid JSON: Expecting value at line 1 column 1"),
        ('{"job": NaN}', "not valid JSON: NaN is not allowed in JSON"),
        ('{"job": "\\ud800"}', "not valid JSON: the string at job is not valid Unicode text "
         "(a lone surrogate such as \\ud800)"),
        ("[" * 100_000, "not valid JSON: nested too deeply (more than 64 levels; a DRS task "
         "body has fewer than 10)"),
    ],
)
def test_unreadable_json_exits_2_with_the_reason(files, content, reason):
    code, lines = run(files("x.json", content))
    assert code == 2
    assert lines[0]["valid"] is False
    assert lines[0]["error"] == reason


def test_a_missing_file_exits_2(tmp_path):
    code, lines = run(tmp_path / "nope.json")
    assert code == 2
    assert lines == [
        {
            "file": str(tmp_path / "nope.json"),
            "valid": False,
            "error": "cannot open: No such file or directory",
            "errors": [],
        }
    ]


def test_dash_reads_stdin(monkeypatch):
    code, lines = run("-", stdin=json.dumps(full_body()), monkeypatch=monkeypatch)
    assert (code, lines) == (0, [{"file": "-", "valid": True, "errors": []}])
    code, lines = run("-", stdin='{"job": []}', monkeypatch=monkeypatch)
    assert code == 1
    assert lines[0]["file"] == "-" and lines[0]["errors"][0]["rule"] == "R-00"


def test_output_never_carries_secret_values(files):
    body = full_body()
    body["job"]["base_info"]["name"] = "1x"
    body["job"]["target_endpoint"][0]["endpoint"]["db_password"] = 123
    code, lines = run(files("secret.json", body))
    assert code == 1
    assert not [s for s in SECRET_VALUES if s.strip() in json.dumps(lines)]


def test_help_explains_output_and_exit_codes(capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("drs_validate", "--help")  # argparse prints it to sys.stdout
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    for text in (
        "FILE",
        "stdin",
        "exit codes:",
        "0  every input is valid",
        "R-01",
        "python manage.py drs_validate job.json",
    ):
        assert text in help_text
