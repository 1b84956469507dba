"""parse_body reads only what DRS would: JSON whose strings are Unicode text."""

import json

import pytest

from drsui.contract import MAX_DEPTH, parse_body


@pytest.mark.parametrize("text,message", [
    ('{"job": {"base_info": {"description": "x\\ud800"}}}',
     "the string at job.base_info.description is not valid Unicode text"),
    ('{"job": {"tags": ["ok", "\\udfff"]}}', "the string at job.tags.1 is not valid Unicode text"),
    ('{"job": {"tags": [{"\\ud800": "v"}]}}', "a key in job.tags.0 is not valid Unicode text"),
    ('{"\\udc00": {}}', "a key in the top-level object is not valid Unicode text"),
    ('"\\ud800"', "the string at the top level is not valid Unicode text"),
    (b'{"job": {"x": "\xed\xa0\x80"}}', "the string at job.x is not valid Unicode text"),
])
def test_a_lone_surrogate_is_refused_naming_where(text, message):
    with pytest.raises(ValueError, match=message):
        parse_body(text)


def test_an_escaped_surrogate_pair_is_text():
    assert parse_body('{"job": {"d\\u00e9": "\\ud83d\\ude00"}}') == {"job": {"dé": "😀"}}


@pytest.mark.parametrize("text,message", [
    ('{"job": {"base_info": {"name": "a\\u0000b"}}}',
     r"the string at job.base_info.name holds a NUL character \(\\u0000\), which cannot be stored"),
    ('{"job": {"tags": [{"k\\u0000": "v"}]}}', r"a key in job.tags.0 holds a NUL character"),
])
def test_a_nul_character_is_refused_naming_where(text, message):
    """PostgreSQL stores no NUL in text or jsonb: refused before any database sees it."""
    with pytest.raises(ValueError, match=message):
        parse_body(text)


def test_a_typed_backslash_u0000_is_text():
    assert parse_body('{"job": {"d": "\\\\u0000"}}') == {"job": {"d": "\\u0000"}}


def _nested(levels: int) -> str:
    """A body whose objects nest `levels` deep, the outer object counted."""
    return '{"job": ' + '{"extra": ' * (levels - 2) + '{}' + "}" * (levels - 2) + "}"


def test_nesting_up_to_the_limit_is_read_and_deeper_is_refused_naming_where():
    assert parse_body(_nested(MAX_DEPTH))["job"]
    with pytest.raises(ValueError, match=r"nested too deeply under job.extra \(more than "
                                         f"{MAX_DEPTH} levels"):
        parse_body(_nested(MAX_DEPTH + 1))


@pytest.mark.parametrize("text", ["null", "1", '"x"', "[]", "{}"])
def test_a_body_that_nests_nothing_is_read(text):
    assert parse_body(text) == json.loads(text)


def test_nesting_too_deep_for_the_json_reader_is_a_value_error():
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_body("[" * 100_000)
