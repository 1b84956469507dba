"""Dotted paths into the job object."""

import pytest

from drsui.contract import delete_path, get_path, set_path
from tests.contract.bodies import mysql_sync_body


def test_get_path_reads_keys_and_list_indexes():
    job = mysql_sync_body()["job"]
    assert get_path(job, "source_endpoint.0.endpoint.ip") == "10.0.0.10"
    assert get_path(job, "base_info.name") == "drs-task-1"
    assert get_path(job, "") is job


@pytest.mark.parametrize(
    "path",
    [
        "nope",
        "source_endpoint.1.endpoint",
        "source_endpoint.x",
        "base_info.name.0",
        "source_endpoint.-1",
        "base_info.name.length",
    ],
)
def test_get_path_gives_the_default_for_missing_or_mismatched_steps(path):
    job = mysql_sync_body()["job"]
    assert get_path(job, path) is None
    assert get_path(job, path, "default") == "default"


def test_set_path_creates_objects_and_lists():
    job = {}
    set_path(job, "source_endpoint.0.endpoint.ip", "10.0.0.1")
    set_path(job, "base_info.tags.1.key", "team")
    assert job == {
        "source_endpoint": [{"endpoint": {"ip": "10.0.0.1"}}],
        "base_info": {"tags": [None, {"key": "team"}]},
    }


def test_set_path_overwrites_and_replaces_values_that_cannot_hold_the_next_step():
    job = {"base_info": "oops", "source_endpoint": None, "tags": ["a"], "vpc": {"id": "v"}}
    set_path(job, "base_info.name", "drs-1")
    set_path(job, "base_info.name", "drs-2")
    set_path(job, "source_endpoint.0.db_type", "mysql")
    set_path(job, "tags.key", "k")
    set_path(job, "vpc.0", "kept as a key")  # an existing object is never thrown away
    assert job == {
        "base_info": {"name": "drs-2"},
        "source_endpoint": [{"db_type": "mysql"}],
        "tags": {"key": "k"},
        "vpc": {"id": "v", "0": "kept as a key"},
    }


def test_set_path_refuses_what_it_cannot_do():
    with pytest.raises(TypeError):
        set_path([], "a", 1)
    with pytest.raises(ValueError):
        set_path({}, "", 1)
    with pytest.raises(ValueError):
        set_path({}, "tags.100000000", 1)


def test_delete_path_removes_keys_and_list_items():
    job = mysql_sync_body()["job"]
    assert delete_path(job, "base_info.name") is True
    assert "name" not in job["base_info"]
    assert delete_path(job, "source_endpoint.0") is True
    assert job["source_endpoint"] == []
    assert delete_path(job, "base_info.name") is False
    assert delete_path(job, "no.such.path") is False
    assert delete_path(job, "") is False
