"""The contract in Simplified Chinese: the same verdict as in English (the same paths and rule
ids, in the same order), every message worded in Chinese with the API names and quoted values
it holds in English; labels, rule summaries and JSON reading errors follow the language."""

import json
import re

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from drsui.contract import (
    AUTO_RENEW_LABELS,
    LABELS,
    PERIOD_TYPE_LABELS,
    RULES,
    parse_body,
    set_path,
    shape_paths,
    validate,
    warnings,
)
from tests.contract.bodies import SRC, edited, mysql_sync_body, period_body
from tests.contract.strategies import valid_bodies
from tests.contract.test_contract_rules import FAILS
from tests.properties import examples

CJK = re.compile(r"[\u4e00-\u9fff]")
# What a message names for an API client: quoted values ("3306") and API names (db_port).
API_NAMES = re.compile(r'"[^"]*"|(?<![A-Za-z0-9_])[a-z]+(?:_[a-z0-9]+)+(?![A-Za-z0-9_])')
BAD_VALUES = (None, True, "", " ", "zzz", -1, 0, 99999, [], {}, [{}], "10.0.0.1,10.0.0.2,10.0.0.3")


def in_language(language, check, *args, **kwargs):
    with translation.override(language):
        return check(*args, **kwargs)


def assert_said_in_chinese(english: str, chinese: str):
    assert chinese != english
    assert CJK.search(chinese), chinese
    assert sorted(API_NAMES.findall(chinese)) == sorted(API_NAMES.findall(english)), chinese


def assert_same_verdict_in_chinese(body, **kwargs):
    english = in_language("en", validate, body, **kwargs)
    chinese = in_language("zh-hans", validate, body, **kwargs)
    assert [(v.path, v.rule) for v in chinese] == [(v.path, v.rule) for v in english]
    for en, zh in zip(english, chinese, strict=True):
        assert_said_in_chinese(en.message, zh.message)
    return chinese


@pytest.mark.parametrize(("rule", "make", "edits", "expected", "kwargs"), FAILS)
def test_each_rule_refuses_in_chinese_at_the_same_place(rule, make, edits, expected, kwargs):
    chinese = assert_same_verdict_in_chinese(edited(make, edits), **kwargs)
    assert [(v.path, v.rule) for v in chinese] == expected


@settings(max_examples=examples(120))
@given(
    body=valid_bodies(),
    path=st.sampled_from([p.replace("*", "0") for p, _ in shape_paths()]),
    value=st.sampled_from(BAD_VALUES),
)
def test_a_broken_body_is_refused_alike_in_both_languages(body, path, value):
    set_path(body["job"], path, value)
    assert_same_verdict_in_chinese(body, now_ms=4_102_444_800_124)


def test_a_refused_port_reads_in_chinese():
    body = edited(mysql_sync_body, {f"{SRC}.endpoint.db_port": "70000"})
    [violation] = in_language("zh-hans", validate, body)
    assert (violation.path, violation.rule) == (f"{SRC}.endpoint.db_port", "R-28")
    assert violation.message == '端口须为1到65535之间的整数，以字符串形式填写，例如"3306"。'


def test_the_language_can_change_between_two_checks_of_one_body():
    body = edited(mysql_sync_body, {"base_info.name": "1abc"})
    said = [in_language(lang, validate, body)[0].message for lang in ("zh-hans", "en", "zh-hans")]
    assert said[0] == said[2] != said[1]
    assert said[1] == in_language("en", validate, body)[0].message
    assert CJK.search(said[0]) and not CJK.search(said[1])


def test_the_yearly_monthly_warning_is_said_in_chinese():
    body = edited(period_body, {"base_info.expired_days": "14"})
    [english] = in_language("en", warnings, body)
    [chinese] = in_language("zh-hans", warnings, body)
    assert (chinese.path, chinese.rule) == (english.path, english.rule)
    assert_said_in_chinese(english.message, chinese.message)


def test_rule_summaries_are_said_in_chinese_with_the_same_ids():
    english = in_language("en", dict, RULES)
    chinese = in_language("zh-hans", dict, RULES)
    assert list(chinese) == list(english)
    for rule, summary in english.items():
        assert_said_in_chinese(summary, chinese[rule])


def test_enumeration_labels_follow_the_language():
    english = in_language("en", dict, LABELS)
    chinese = in_language("zh-hans", dict, LABELS)
    assert list(chinese) == list(english)
    assert english["migration"] == "Real-time migration"
    assert (chinese["migration"], chinese["sync"], chinese["cloudDataGuard"]) == (
        "实时迁移", "实时同步", "实时灾备")
    assert (chinese["on_demand"], chinese["period"]) == ("按需计费", "包年/包月")
    # A language is named in itself, whatever the language of the page.
    assert chinese["zh-cn"] == english["zh-cn"] == "简体中文"
    assert chinese["en-us"] == english["en-us"] == "English"
    worded = [value for key, value in english.items() if CJK.search(chinese[key])]
    assert len(worded) > len(english) * 2 / 3  # product names (MySQL, GeminiDB Redis) stay
    for labels in (PERIOD_TYPE_LABELS, AUTO_RENEW_LABELS):
        assert all(CJK.search(label) for label in in_language("zh-hans", dict, labels).values())


@pytest.mark.parametrize("text", [
    '{"job": NaN}',
    '{"job": 1e400}',
    '{"job": {"base_info": {"name": "\\u0000"}}}',
    '{"\\ud800": 1}',
    "[" * 70 + "]" * 70,
])
def test_json_that_cannot_be_read_is_said_in_chinese(text):
    def reason():
        with pytest.raises(ValueError) as refused:
            parse_body(text)
        return str(refused.value)

    assert_said_in_chinese(in_language("en", reason), in_language("zh-hans", reason))


def test_a_verdict_in_chinese_is_plain_text_for_json():
    body = edited(mysql_sync_body, {"base_info.tags": [{"value": "x"}]})
    chinese = in_language("zh-hans", validate, body)
    assert chinese and all(type(v.message) is str for v in chinese)
    assert "每个标签都需要键" in json.dumps([v.as_dict() for v in chinese], ensure_ascii=False)
