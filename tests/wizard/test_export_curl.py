"""The curl export is one curl command whatever the region, project id or body holds: it reads
back, as a shell reads it, to the URL and the masked body."""

import json
import os
import shlex
import shutil
import subprocess

import pytest

from drsui.contract import mask_secrets
from drsui.wizard.export import export_curl
from tests.contract.bodies import SECRET_VALUES, full_body

HOSTILE = [
    "a\nb", "'", '"', "it's", "$(touch drsui-curl-ran)", "`touch drsui-curl-ran`",
    "${HOME}", "$DRS_TOKEN", "\\", "\\\n", "; touch drsui-curl-ran", "&& x", "| x", "# x",
    "\r", "\t", "!", "*", "~", "é 中文 😀", "'\"'\"'", "", " ",
]


def hostile_body(text):
    body = full_body()
    base = body["job"]["base_info"]
    base["name"] = base["description"] = text
    base[text] = [text, {text: text}]
    body["job"]["source_endpoint"][0]["endpoint"]["db_password"] = text or "x"
    return body


def expected_url(region, project_id):
    domain = "myhuaweicloud.eu" if region == "eu-west-101" else "myhuaweicloud.com"
    return f"https://drs.{region}.{domain}/v5/{project_id}/jobs"


def words(command: str) -> list[str]:
    """The command's words as shlex reads them. shlex keeps a line continuation (a backslash
    before a newline, outside quotes) as a word "\\n", where a shell joins the lines: those go."""
    return [word for word in shlex.split(command, comments=True) if word != "\n"]


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(t) for t in HOSTILE])
def test_any_region_project_or_body_reads_back_as_one_curl_command(text):
    body = hostile_body(text)
    command = export_curl(body, region=text, project_id=text)
    assert words(command) == [
        "curl", "-sS", "-X", "POST", expected_url(text, text),
        "-H", "Content-Type: application/json",
        "-H", "X-Auth-Token: $DRS_TOKEN",  # in double quotes: the shell reads the variable
        "--data-binary", json.dumps(mask_secrets(body), ensure_ascii=False),
    ]
    assert json.loads(words(command)[-1]) == mask_secrets(body)
    for secret in SECRET_VALUES:
        assert secret not in command


BASH = shutil.which("bash")


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
@pytest.mark.parametrize("text", HOSTILE, ids=[repr(t) for t in HOSTILE])
def test_bash_runs_exactly_one_command_with_the_words_expected(tmp_path, text):
    """The export run by bash with no PATH (no program can start), curl a function that keeps
    its arguments, and a DEBUG trap that notes every command bash runs."""
    body = hostile_body(text)
    command = export_curl(body, region=text, project_id=text)
    script = ('curl() { printf "%s\\0" "$@" > "$CURL_ARGS"; }\n'
              "trap 'printf \"%s\\0\" \"$BASH_COMMAND\" >> \"$COMMANDS\"' DEBUG\n" + command)
    env = {"PATH": "", "DRS_TOKEN": "the-token", "CURL_ARGS": str(tmp_path / "args"),
           "COMMANDS": str(tmp_path / "commands")}
    done = subprocess.run([BASH, "--norc", "--noprofile", "-c", script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stderr) == (0, "")
    commands = (tmp_path / "commands").read_bytes().decode().split("\0")[:-1]
    assert len(commands) == 1 and commands[0].startswith("curl ")
    assert (tmp_path / "args").read_bytes().decode().split("\0")[:-1] == [
        "-sS", "-X", "POST", expected_url(text, text),
        "-H", "Content-Type: application/json", "-H", "X-Auth-Token: the-token",
        "--data-binary", json.dumps(mask_secrets(body), ensure_ascii=False),
    ]
    assert sorted(os.listdir(tmp_path)) == ["args", "commands"]
