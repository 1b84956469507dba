"""`drs_validate --lang zh-cn|en-us`: the messages in that language, the JSON keys, paths and
rule ids as they are (issue #14). The contract's Chinese comes from its own catalog."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from drsui import contract as c
from tests.contract.bodies import mysql_migration_body

CJK = re.compile(r"[\u4e00-\u9fff]")


def broken_body() -> dict:
    body = mysql_migration_body()
    body["job"]["base_info"]["name"] = "1x"
    body["job"]["source_endpoint"][0]["endpoint"]["db_port"] = "port"
    body["job"]["node_info"]["base_info"] = {"spec": 7}
    return body


def validated(*args) -> list[dict]:
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("drs_validate", *map(str, args), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def contract_errors(body, language) -> list[dict]:
    with translation.override(language):
        return [v.as_dict() for v in c.validate(body)]


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken_body()))
    return path


@pytest.mark.parametrize("lang, language", [("zh-cn", "zh-hans"), ("ZH-CN", "zh-hans"),
                                            ("zh-hans", "zh-hans"), ("en-us", "en"),
                                            ("en", "en")])
def test_the_messages_are_in_the_language_asked_for(broken, lang, language):
    before = translation.get_language()
    [line] = validated("--lang", lang, broken)
    assert line == {"file": str(broken), "valid": False,
                    "errors": contract_errors(broken_body(), language)}
    assert translation.get_language() == before  # the command's language ended with it


def test_without_lang_the_messages_are_english(broken):
    [line] = validated(broken)
    assert line["errors"] == contract_errors(broken_body(), "en")


def test_keys_paths_and_rule_ids_do_not_change_with_the_language(broken):
    [english] = validated("--lang", "en-us", broken)
    [chinese] = validated("--lang", "zh-cn", broken)
    assert len(english["errors"]) >= 3
    assert [(e.keys(), e["field"], e["rule"]) for e in chinese["errors"]] == [
        (e.keys(), e["field"], e["rule"]) for e in english["errors"]]


def test_an_unreadable_input_is_explained_in_the_language_asked_for(tmp_path):
    path = tmp_path / "not.json"
    path.write_text("{nope")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'{"job": "\xe9"}')
    with translation.override("zh-hans"):
        expected = [
            translation.gettext("not valid JSON: %(reason)s at line %(line)s column %(column)s")
            % {"reason": "Expecting property name enclosed in double quotes", "line": 1,
               "column": 2},
            translation.gettext("not valid JSON: the file is not UTF-8 text")]
    lines = validated("--lang", "zh-cn", path, latin1)
    assert [line["error"] for line in lines] == expected


def test_a_language_not_offered_is_refused():
    with pytest.raises(CommandError, match="invalid choice: 'fr'"):
        call_command("drs_validate", "--lang", "fr", "-")


def test_chinese_messages_are_chinese(broken, tmp_path):
    [english] = validated("--lang", "en-us", broken)
    [chinese] = validated("--lang", "zh-cn", broken)
    for en, zh in zip(english["errors"], chinese["errors"], strict=True):
        assert zh["message"] != en["message"] and CJK.search(zh["message"]), zh
    path = tmp_path / "not.json"
    path.write_text("{nope")
    [unreadable] = validated("--lang", "zh-cn", path)
    assert CJK.search(unreadable["error"])
