"""The contract's messages under a field, in both languages: the API notes an API client needs
(how a value is written in JSON, the field's API name) are left out on the form."""

import re

import pytest
from django.utils import translation

from drsui.contract import validate
from drsui.wizard.fields import Field
from drsui.wizard.wording import on_form, plain
from tests.contract.bodies import DELETE, SRC, edited, mysql_sync_body

CJK = re.compile(r"[\u4e00-\u9fff]")
# An API note in either language: a JSON string's spelling, or an API name in brackets.
API_NOTE = re.compile(r"string|字符串|[(（][a-z_]+[)）]")

PORT = Field(f"{SRC}.endpoint.db_port", "Port", "source")
TAGS = Field("base_info.tags", "Tags", "base")
ADDRESS = Field(f"{SRC}.endpoint.ip", "Address", "source")


def _message(language, edits):
    with translation.override(language):
        [violation] = validate(edited(mysql_sync_body, edits))
    return violation.message


@pytest.mark.parametrize("edits", [
    {f"{SRC}.endpoint.db_port": "70000"},
    {"base_info.start_time": "tomorrow"},
    {"base_info.expired_days": "7"},
    {f"{SRC}.endpoint.db_user": DELETE},
    {f"{SRC}.endpoint.ip": DELETE},
    {"node_info.vpc.vpc_id": DELETE},
])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_form_leaves_out_the_api_notes_in_either_language(language, edits):
    message = _message(language, edits)
    assert API_NOTE.search(message)  # the API client's wording has the note
    said = plain(message)
    assert not API_NOTE.search(said)
    assert said.endswith("。" if language == "zh-hans" else ".")
    assert bool(CJK.search(said)) == (language == "zh-hans")


def test_a_port_refused_reads_as_its_limit_in_either_language():
    edits = {f"{SRC}.endpoint.db_port": "70000"}
    with translation.override("en"):
        said, replaces_help = on_form(PORT, "R-28", _message("en", edits), "70000")
    assert (said, replaces_help) == ("Port must be a whole number from 1 to 65535.", True)
    with translation.override("zh-hans"):
        said, replaces_help = on_form(PORT, "R-28", _message("zh-hans", edits), "70000")
    assert (said, replaces_help) == ("端口须为1到65535之间的整数。", True)


@pytest.mark.parametrize(("field", "sentence"), [
    (PORT, "Port is required."),
    (TAGS, "Tags are required."),
    (ADDRESS, "Address is required."),
])
def test_a_missing_value_is_said_with_the_field_label(field, sentence):
    with translation.override("en"):
        assert on_form(field, "R-27", "Anything (db_port).", None) == (sentence, False)


def test_a_message_about_no_field_is_said_plain():
    message = _message("zh-hans", {f"{SRC}.endpoint.db_user": DELETE})
    with translation.override("zh-hans"):
        said, replaces_help = on_form(None, "R-29", message, None)
    assert (said, replaces_help) == ("请添加数据库用户名。", False)
