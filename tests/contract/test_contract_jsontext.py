"""parse_body reads only what DRS would: JSON whose strings are Unicode text."""

import pytest

from drsui.contract import parse_body


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
