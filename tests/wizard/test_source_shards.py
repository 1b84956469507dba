"""Physical source shards (R-34): rows of endpoints on the source step, passwords kept apart."""

import re

import pytest

from drsui.wizard.services import draft_create
from tests.wizard.wizard_client import post, step_url

pytestmark = pytest.mark.django_db

SHARDS = "source_endpoint.0.endpoint.source_sharding"
SELF_BUILT = {
    "source_endpoint.0.endpoint_type": "offline",
    "source_endpoint.0.endpoint.ip": "10.0.0.1",
    "source_endpoint.0.endpoint.db_port": "3306",
    "source_endpoint.0.endpoint.db_user": "root",
    "source_endpoint.0.endpoint.db_password": "main-pw",
}


def shard(index, host, password="", port="3306", user="root"):
    row = {f"{SHARDS}.{index}.ip": host, f"{SHARDS}.{index}.db_port": port,
           f"{SHARDS}.{index}.db_user": user}
    if password:
        row[f"{SHARDS}.{index}.db_password"] = password
    return row


@pytest.fixture
def draft(demo_user, project):
    draft = draft_create(owner=demo_user, project=project)
    draft.job["base_info"].update(job_type="migration", engine_type="mysql-to-mysql",
                                  job_direction="up")
    draft.furthest_step = "source"
    draft.save()
    return draft


def save_source(client, draft, *shards, action="save"):
    data = {**SELF_BUILT}
    for row in shards:
        data.update(row)
    return post(client, draft, "source", {**data, SHARDS: ""}, action=action)


def test_a_shard_is_an_endpoint_of_the_source_kind_with_its_password_kept_apart(
        client_in, draft):
    save_source(client_in, draft, shard(0, "10.0.0.2", "shard-pw-1"))
    draft.refresh_from_db()
    assert draft.job["source_endpoint"][0]["endpoint"]["source_sharding"] == [
        {"endpoint_name": "mysql", "ip": "10.0.0.2", "db_port": "3306", "db_user": "root"}]
    assert draft.secrets()[f"{SHARDS}.0.db_password"] == "shard-pw-1"
    page = client_in.get(step_url(draft, "source")).content.decode()
    assert "shard-pw-1" not in page
    assert f'name="{SHARDS}.0.ip" value="10.0.0.2"' in page
    assert "set — type to replace" in page
    assert "Physical source shards (advanced)" in page


def stored_shards(draft):
    """(host, password) of each stored shard: what a send would merge and post."""
    draft.refresh_from_db()
    shards = draft.job["source_endpoint"][0]["endpoint"].get("source_sharding", [])
    secrets = draft.secrets()
    return [(row.get("ip"), secrets.get(f"{SHARDS}.{i}.db_password"))
            for i, row in enumerate(shards)]


def test_removing_a_shard_stores_the_rows_and_their_passwords_together(client_in, draft):
    save_source(client_in, draft, shard(0, "10.0.0.2", "pw-first"), shard(1, "10.0.0.3", "pw-2nd"))
    assert stored_shards(draft) == [("10.0.0.2", "pw-first"), ("10.0.0.3", "pw-2nd")]
    # The page posts the rows as shown (passwords are never shown back), and "Remove" on one.
    response = save_source(client_in, draft, shard(0, "10.0.0.2"), shard(1, "10.0.0.3"),
                           action=f"remove:{SHARDS}.0")
    page = response.content.decode()
    assert f'name="{SHARDS}.0.ip" value="10.0.0.3"' in page
    assert f'name="{SHARDS}.1.ip"' not in page
    # Whatever the person does next (leave, reload, another tab), the store agrees.
    assert stored_shards(draft) == [("10.0.0.3", "pw-2nd")]


def test_remove_takes_the_row_pressed_even_after_a_blanked_row(client_in, draft):
    save_source(client_in, draft, shard(0, "10.0.0.2", "pw-a"), shard(1, "10.0.0.3", "pw-b"),
                shard(2, "10.0.0.4", "pw-c"))
    # Row 0's host is cleared (its password stays, so the row stays); row 1 is removed.
    save_source(client_in, draft, shard(0, "", port="", user=""), shard(1, "10.0.0.3"),
                shard(2, "10.0.0.4"), action=f"remove:{SHARDS}.1")
    draft.refresh_from_db()
    shards = draft.job["source_endpoint"][0]["endpoint"]["source_sharding"]
    assert [row.get("ip") for row in shards] == [None, "10.0.0.4"]  # R-27 will ask for it
    assert draft.secrets()[f"{SHARDS}.0.db_password"] == "pw-a"
    assert draft.secrets()[f"{SHARDS}.1.db_password"] == "pw-c"
    assert f"{SHARDS}.2.db_password" not in draft.secrets()


def test_a_blank_row_between_shards_does_not_shift_a_password_onto_the_wrong_shard(
        client_in, draft):
    save_source(client_in, draft, shard(0, "10.0.0.2", "pw-a"), shard(1, "", "", "", ""),
                shard(2, "10.0.0.4", "pw-c"))
    draft.refresh_from_db()
    shards = draft.job["source_endpoint"][0]["endpoint"]["source_sharding"]
    assert [s["ip"] for s in shards] == ["10.0.0.2", "10.0.0.4"]
    assert draft.secrets()[f"{SHARDS}.0.db_password"] == "pw-a"
    assert draft.secrets()[f"{SHARDS}.1.db_password"] == "pw-c"


def test_next_puts_a_shards_problems_on_its_cells(client_in, draft):
    response = save_source(client_in, draft, shard(0, "10.0.0.2", port="99999"), action="next")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="f-{SHARDS.replace(".", "-")}-0-db_port-err"' in page
    assert "Port must be a whole number from 1 to 65535" in page
    assert "Password is required." in page
    assert f'href="#f-{SHARDS.replace(".", "-")}-0-db_password"' in page
    draft.refresh_from_db()
    assert draft.furthest_step == "source"


def test_a_cloud_source_asks_each_shard_for_its_instance(client_in, draft):
    response = post(client_in, draft, "source", {
        "source_endpoint.0.endpoint_type": "cloud", SHARDS: "",
        f"{SHARDS}.0.instance_id": "inst-1", f"{SHARDS}.0.db_user": "root",
        f"{SHARDS}.0.db_password": "cloud-shard-pw"}, action="save")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.job["source_endpoint"][0]["endpoint"]["source_sharding"] == [
        {"endpoint_name": "cloud_mysql", "instance_id": "inst-1", "db_user": "root"}]
    page = client_in.get(step_url(draft, "source")).content.decode()
    cells = re.findall(rf'name="{re.escape(SHARDS)}\.0\.(\w+)"', page)
    assert cells[:3] == ["instance_id", "db_user", "db_password"]  # the console's, first


def test_a_redis_cluster_source_has_no_shard_rows_and_drops_earlier_ones(client_in, draft):
    save_source(client_in, draft, shard(0, "10.0.0.2", "pw-a"))
    post(client_in, draft, "base",
         {"base_info.engine_type": "migration:rediscluster-to-gaussredis"}, action="save")
    page = client_in.get(step_url(draft, "source")).content.decode()
    assert "Physical source shards" not in page
    assert 'name="source_endpoint.0.endpoint.ip.0"' in page  # the cluster's own shard list
    post(client_in, draft, "source", {"source_endpoint.0.endpoint_type": "offline",
                                      "source_endpoint.0.endpoint.ip.0": "10.0.0.9:6379"},
         action="save")
    draft.refresh_from_db()
    assert "source_sharding" not in draft.job["source_endpoint"][0]["endpoint"]
    assert not any("source_sharding" in path for path in draft.secrets())


def test_an_oracle_shard_has_its_own_service_name(client_in, draft):
    draft.job["base_info"].update(job_type="sync", engine_type="oracle-to-gaussdbv5")
    draft.save()
    save_source(client_in, draft, {**shard(0, "10.0.0.2", "pw-o"),
                                   f"{SHARDS}.0.db_name": "shard1.orcl"})
    draft.refresh_from_db()
    assert draft.job["source_endpoint"][0]["endpoint"]["source_sharding"] == [
        {"endpoint_name": "oracle", "ip": "10.0.0.2", "db_port": "3306", "db_user": "root",
         "db_name": "shard1.orcl"}]
    save_source(client_in, draft, shard(0, "10.0.0.2"))  # no service name: the key is left out
    draft.refresh_from_db()
    assert "db_name" not in draft.job["source_endpoint"][0]["endpoint"]["source_sharding"][0]


def test_after_a_refused_save_no_stored_password_lands_on_another_shard(client_in, draft):
    save_source(client_in, draft, shard(0, "10.0.1.1", "pw-1"), shard(1, "10.0.1.2"),
                shard(2, "10.0.1.3", "pw-3"))
    draft.refresh_from_db()
    stale = draft.version
    save_source(client_in, draft, shard(0, "10.0.1.1"), shard(1, "10.0.1.2"),
                shard(2, "10.0.1.3"), action=f"remove:{SHARDS}.1")  # another tab removes one
    # This tab, still on the old version, removes the first shard: refused.
    rows = {**SELF_BUILT, SHARDS: "", "_action": f"remove:{SHARDS}.0", "_version": str(stale),
            "_present": list(SELF_BUILT) + [SHARDS],
            **shard(0, "10.0.1.1"), **shard(1, "10.0.1.2"), **shard(2, "10.0.1.3")}
    page = client_in.post(step_url(draft, "source"), rows).content.decode()
    assert "changed elsewhere" in page and 'name="_rows_unsaved"' in page
    assert f'name="{SHARDS}.0.ip" value="10.0.1.2"' in page
    for i in (0, 1):
        cell = re.search(rf'<input[^>]*name="{SHARDS}.{i}.db_password"[^>]*>', page).group(0)
        assert 'placeholder="not set"' in cell
    assert stored_shards(draft) == [("10.0.1.1", "pw-1"), ("10.0.1.3", "pw-3")]
    # "Save again to keep them": the shards are kept, their passwords asked for again.
    draft.refresh_from_db()
    again = {**SELF_BUILT, SHARDS: "", "_action": "save", "_version": str(draft.version),
             "_rows_unsaved": "1", "_present": list(SELF_BUILT) + [SHARDS],
             **shard(0, "10.0.1.2"), **shard(1, "10.0.1.3")}
    assert client_in.post(step_url(draft, "source"), again).status_code == 302
    assert stored_shards(draft) == [("10.0.1.2", None), ("10.0.1.3", None)]


def test_shards_left_in_the_body_are_listed_with_their_problem_and_removable(client_in, draft):
    save_source(client_in, draft, shard(0, "10.0.0.2", "pw-a"))
    draft.refresh_from_db()
    draft.job["base_info"]["engine_type"] = "rediscluster-to-gaussredis"  # as an import might
    draft.furthest_step = "network"
    draft.save()
    page = client_in.get(step_url(draft, "source")).content.decode()
    assert f"<code>{SHARDS}</code> = " in page and f'value="drop:{SHARDS}"' in page
    post(client_in, draft, "source", {"source_endpoint.0.endpoint_type": "offline"}, "save")
    assert "source_sharding" in draft.job["source_endpoint"][0]["endpoint"]  # Save keeps it
    post(client_in, draft, "source", {"source_endpoint.0.endpoint_type": "offline"},
         f"drop:{SHARDS}")
    draft.refresh_from_db()
    assert "source_sharding" not in draft.job["source_endpoint"][0]["endpoint"]


def test_a_scenario_change_removes_the_shards_at_once_and_names_them(client_in, draft):
    save_source(client_in, draft, shard(0, "10.0.0.2", "pw-a"))
    draft.refresh_from_db()
    base = {"base_info.engine_type": "migration:rediscluster-to-gaussredis"}
    response = post(client_in, draft, "base", base, "save")
    draft.refresh_from_db()
    assert "source_sharding" not in draft.job["source_endpoint"][0]["endpoint"]
    assert not any("source_sharding" in path for path in draft.secrets())
    shown = client_in.get(response.url).content.decode()
    note = re.search(r"Removed: ([^<]*)", shown)
    assert note and "Shard (source_sharding)" in note.group(1)


def test_a_request_that_crossed_a_save_keeps_the_passwords_of_the_same_rows(client_in, draft):
    """Two re-renders in flight (tick SSL, then at once "Add shard"): the second carries the
    version before the first saved. Its rows are the stored ones, so nothing is lost."""
    save_source(client_in, draft, shard(0, "10.0.0.2", "pw-a"), shard(1, "10.0.0.3", "pw-b"))
    draft.refresh_from_db()
    before = draft.version
    ssl_on = {**SELF_BUILT, "source_endpoint.0.ssl.ssl_link": "on"}
    post(client_in, draft, "source", {**ssl_on, SHARDS: "", **shard(0, "10.0.0.2"),
                                      **shard(1, "10.0.0.3")}, action="update")
    crossed = {**ssl_on, SHARDS: "", "_action": f"add:{SHARDS}", "_version": str(before),
               "_present": list(ssl_on) + [SHARDS], **shard(0, "10.0.0.2"),
               **shard(1, "10.0.0.3")}
    page = client_in.post(step_url(draft, "source"), crossed).content.decode()
    assert "changed elsewhere" not in page and "_rows_unsaved" not in page
    assert page.count("set — type to replace") == 3  # the main password and both shards'
    assert stored_shards(draft) == [("10.0.0.2", "pw-a"), ("10.0.0.3", "pw-b")]
