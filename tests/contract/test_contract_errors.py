"""An error message naming a body field: written by the sandbox, read back by drsui."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drsui import contract as c

BODY_PATHS = sorted({path.replace("*", "0") for path, _ in c.shape_paths()})


@pytest.mark.parametrize("path, message", [
    ("base_info.name", "The name must be 4 to 50 characters."),
    ("source_endpoint.0.endpoint.ip", "Not an address: 10.0.0.300 (expected a.b.c.d)"),
    ("base_info.start_time", ": a message that starts with a colon"),
    ("node_info.spec.node_type", ""),
])
def test_a_message_naming_a_field_reads_back_as_the_field_and_the_message(path, message):
    written = c.error_msg_format(path, message)
    assert written.startswith(path + ": ")
    assert c.error_msg_parse(written) == (path, message)


@pytest.mark.parametrize("message", [
    'The body must be a JSON object: {"job": {...}}.',
    "DRS.M00277: task name already exists",
    "Internal error.",
    "",
])
def test_a_message_about_no_field_names_none(message):
    written = c.error_msg_format("", message)
    assert written == message
    assert c.error_msg_parse(written) == ("", message)


def test_a_missing_message_reads_as_no_field():
    assert c.error_msg_parse(None) == ("", "")


@given(st.sampled_from(BODY_PATHS), st.text(max_size=80))
def test_every_body_path_round_trips_whatever_the_message(path, message):
    assert c.error_msg_parse(c.error_msg_format(path, message)) == (path, message)
