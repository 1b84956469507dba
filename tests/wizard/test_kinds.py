"""Each field kind on its own: what a posted string becomes in the body, and the error it gets.
No database, no page: a kind applied to one field of a plain StepForm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.template.loader import get_template
from django.utils.datastructures import MultiValueDict

from drsui import contract as c
from drsui.wizard.fields import FIELDS, Field
from drsui.wizard.forms import NUL_MESSAGE, StepForm, step_apply
from drsui.wizard.kinds import KINDS, MAX_CERT_BYTES, kind_of


def field(path: str, kind: str | None = None) -> Field:
    """The table's field at `path` (the first of its kind when several share the path)."""
    return next(f for f in FIELDS if f.path == path and (kind is None or f.kind == kind))


def query(post: dict) -> QueryDict:
    """`post` as the browser sends it: {name: value}."""
    data = QueryDict(mutable=True)
    for name, value in post.items():
        data[name] = value
    return data


def apply(f: Field, post: dict, job: dict | None = None, *, files=None, **form) -> StepForm:
    data = query(post)
    form = StepForm(step=f.step, job=c.copy_json(job or {}),
                    secrets=form.pop("secrets", {}), **form)
    kind_of(f).apply(form, f, data, files)
    return form


NAME = field("base_info.name")
DESCRIPTION = field("base_info.description")
START = field("base_info.start_time")
NODE_NUM = field("source_endpoint.0.config.node_num")
CHARGING = field("base_info.charging_mode")
PERIOD_TYPE = field("period_order.period_type")
INSTANCE_TYPE = field("node_info.base_info.instance_type")
SCENARIO = field("base_info.engine_type")
MULTI_WRITE = field("base_info.multi_write")
READONLY = field("target_endpoint.0.config.is_target_readonly")
FAST_CLEAN = field("base_info.is_open_fast_clean")
DNS = field("source_endpoint.0.customized_dns.is_set_dns")
AUTO_RENEW = field("period_order.is_auto_renew")
PASSWORD = field("source_endpoint.0.endpoint.db_password")
CERT = field("source_endpoint.0.ssl.ssl_cert_key")
ZONES = field("node_info.base_info.availability_zone")
TAGS = field("base_info.tags")
SHARDS = field("source_endpoint.0.endpoint.source_sharding")


def test_every_kind_in_the_table_has_a_class_and_a_partial():
    kinds = {f.kind for f in FIELDS} | {s.kind for f in FIELDS for s in f.subfields}
    assert kinds <= KINDS.keys()
    for kind in KINDS.values():
        get_template(kind.template)  # raises when the partial is missing


# --- text, textarea ---------------------------------------------------------------------------
def test_text_is_trimmed():
    form = apply(NAME, {NAME.path: "  drs-task-1 "})
    assert form.job == {"base_info": {"name": "drs-task-1"}}
    assert form.errors == {}


def test_text_posted_as_rendered_keeps_the_stored_spelling():
    job = {"base_info": {"name": " drs-task-1 "}}
    assert apply(NAME, {NAME.path: "drs-task-1"}, job).job["base_info"]["name"] == " drs-task-1 "


def test_empty_text_leaves_the_body_and_takes_its_empty_object_with_it():
    assert apply(NAME, {NAME.path: ""}, {"base_info": {"name": "x"}}).job == {}


def test_empty_text_stays_empty_where_the_body_held_it_so():
    assert apply(NAME, {NAME.path: " "}, {"base_info": {"name": ""}}).job == {
        "base_info": {"name": ""}}


def test_textarea_line_breaks_arrive_as_crlf_and_are_stored_as_lf():
    form = apply(DESCRIPTION, {DESCRIPTION.path: "one\r\ntwo\r\n"})
    assert form.job == {"base_info": {"description": "one\ntwo"}}


def test_textarea_empty_is_sent_empty_where_the_field_keeps_empty():
    assert apply(DESCRIPTION, {DESCRIPTION.path: ""}).job == {"base_info": {"description": ""}}


def test_textarea_as_rendered_keeps_the_stored_crlf():
    job = {"base_info": {"description": "one\r\ntwo"}}
    form = apply(DESCRIPTION, {DESCRIPTION.path: "one\r\ntwo"}, job)
    assert form.job["base_info"]["description"] == "one\r\ntwo"


# --- int --------------------------------------------------------------------------------------
@pytest.mark.parametrize("posted, stored", [("4", 4), (" 12 ", 12), ("-1", -1)])
def test_int_becomes_a_number(posted, stored):
    form = apply(NODE_NUM, {NODE_NUM.path: posted})
    assert c.get_path(form.job, NODE_NUM.path) == stored
    assert form.errors == {}


@pytest.mark.parametrize("posted", ["1.5", "two", "4e2", "²", "--5", "9" * 5000])
def test_int_not_a_whole_number_is_kept_as_typed_with_an_error(posted):
    form = apply(NODE_NUM, {NODE_NUM.path: posted})
    assert c.get_path(form.job, NODE_NUM.path) == posted
    assert form.errors == {NODE_NUM.path: ["Enter a whole number (at most 18 digits)."]}


def test_int_empty_leaves_the_body():
    job = {"source_endpoint": [{"config": {"node_num": 3}}]}
    assert apply(NODE_NUM, {NODE_NUM.path: ""}, job).job == {"source_endpoint": [{}]}


# --- datetime ---------------------------------------------------------------------------------
def test_datetime_is_read_in_the_persons_zone_and_sent_as_epoch_ms():
    form = apply(START, {START.path: "2026-05-01T08:00"}, tz="Asia/Shanghai")
    assert form.job == {"base_info": {"start_time": "1777593600000"}}  # 00:00 UTC


def test_datetime_as_rendered_keeps_the_stored_milliseconds():
    job = {"base_info": {"start_time": "1777593600123"}}
    assert KINDS["datetime"].display("1777593600123", "Asia/Shanghai") == "2026-05-01T08:00"
    form = apply(START, {START.path: "2026-05-01T08:00"}, job, tz="Asia/Shanghai")
    assert form.job == {"base_info": {"start_time": "1777593600123"}}


@pytest.mark.parametrize("posted", ["tomorrow", "2026-13-01T00:00"])
def test_datetime_not_a_date_keeps_the_stored_value_with_an_error(posted):
    job = {"base_info": {"start_time": "1777593600000"}}
    form = apply(START, {START.path: posted}, job)
    assert form.job == {"base_info": {"start_time": "1777593600000"}}
    assert form.errors == {START.path: ["Enter a date and time."]}


def test_datetime_empty_leaves_the_body():
    assert apply(START, {START.path: ""}, {"base_info": {"start_time": "1777593600000"}}).job == {}


def test_datetime_stored_unreadable_is_shown_empty():
    assert KINDS["datetime"].display("soon", "UTC") == ""


# --- choice, scenario -------------------------------------------------------------------------
def test_choice_takes_the_offered_value_in_its_api_type():
    assert apply(CHARGING, {CHARGING.path: "period"}).job == {
        "base_info": {"charging_mode": "period"}}
    job = {"base_info": {"charging_mode": "period"}}
    form = apply(PERIOD_TYPE, {PERIOD_TYPE.path: "3"}, job)
    assert form.job["period_order"] == {"period_type": 3}  # an integer, as offered


def test_choice_not_offered_is_dropped_with_an_error_on_next_or_save():
    job = {"base_info": {"charging_mode": "on_demand"}}
    form = apply(CHARGING, {CHARGING.path: "monthly"}, job)
    assert form.job == {}
    assert form.errors == {CHARGING.path: [
        "“monthly” is not offered with the choices above; the first value offered is "
        "selected now. Check it."]}


def test_choice_not_offered_after_a_deciding_change_is_settled_anew_without_an_error():
    form = apply(CHARGING, {CHARGING.path: "monthly"}, {}, rerender=True)
    assert form.errors == {}
    KINDS["choice"].settle(form, CHARGING)
    assert form.job == {"base_info": {"charging_mode": "on_demand"}}  # its default


def test_choice_empty_where_empty_is_offered_leaves_the_body():
    job = {"node_info": {"base_info": {"instance_type": "ha"}}}
    assert apply(INSTANCE_TYPE, {INSTANCE_TYPE.path: ""}, job).job == {}


def test_scenario_sets_job_type_and_engine_type():
    form = apply(SCENARIO, {SCENARIO.path: "migration:mysql-to-mysql"})
    assert form.job == {"base_info": {"job_type": "migration", "engine_type": "mysql-to-mysql"}}
    assert KINDS["scenario"].value(form.job, SCENARIO) == "migration:mysql-to-mysql"


def test_scenario_not_offered_is_an_error_and_changes_nothing():
    job = {"base_info": {"job_type": "sync", "engine_type": "mysql-to-mysql"}}
    form = apply(SCENARIO, {SCENARIO.path: "sync:nosql"}, job)
    assert form.job == {"base_info": {"job_type": "sync", "engine_type": "mysql-to-mysql"}}
    assert form.errors == {SCENARIO.path: ["Choose a scenario."]}


# --- bool, bool01 -----------------------------------------------------------------------------
@pytest.mark.parametrize("posted", ["on", "true", "1"])
def test_bool_ticked_is_true(posted):
    assert apply(MULTI_WRITE, {MULTI_WRITE.path: posted}).job == {
        "base_info": {"multi_write": True}}


@pytest.mark.parametrize("stored", [None, False])
def test_bool_unticked_as_rendered_keeps_absent_absent_and_false_false(stored):
    job = {} if stored is None else {"base_info": {"multi_write": stored}}
    assert apply(MULTI_WRITE, {}, job).job == job


def test_bool_unticked_from_true_is_false():
    assert apply(MULTI_WRITE, {}, {"base_info": {"multi_write": True}}).job == {
        "base_info": {"multi_write": False}}


def test_bool_unticked_where_the_default_ticks_it_is_false():
    form = apply(READONLY, {})
    assert c.get_path(form.job, READONLY.path) is False


def test_bool_the_api_defaults_to_false_is_left_out_when_unticked():
    assert apply(FAST_CLEAN, {}, {"base_info": {"is_open_fast_clean": True}}).job == {}


def test_bool_that_clears_takes_its_object_out_when_unticked():
    job = {"source_endpoint": [{"customized_dns": {"is_set_dns": True, "dns_ip": "10.0.0.53"}}]}
    assert apply(DNS, {}, job).job == {"source_endpoint": [{}]}


@pytest.mark.parametrize("post, stored", [({AUTO_RENEW.path: "on"}, 1), ({}, 0)])
def test_bool01_is_sent_as_one_or_zero(post, stored):
    assert apply(AUTO_RENEW, post).job == {"period_order": {"is_auto_renew": stored}}


# --- secret, cert -----------------------------------------------------------------------------
def test_secret_is_kept_beside_the_body():
    form = apply(PASSWORD, {PASSWORD.path: " pw 1 "})
    assert form.job == {}
    assert form.secrets == {PASSWORD.path: " pw 1 "}  # as typed: spaces may be part of it


def test_secret_left_empty_keeps_the_stored_one():
    form = apply(PASSWORD, {PASSWORD.path: ""}, secrets={PASSWORD.path: "old"})
    assert form.secrets == {PASSWORD.path: "old"}


def test_cert_upload_is_kept_as_base64_with_its_name_and_checksum_in_the_body():
    upload = SimpleUploadedFile("ca.pem", b"ABCD")
    form = apply(CERT, {}, files=MultiValueDict({CERT.path: [upload]}))
    assert form.secrets == {CERT.path: "QUJDRA=="}
    assert c.get_path(form.job, "source_endpoint.0.ssl") == {
        "ssl_cert_name": "ca.pem",
        "ssl_cert_check_sum": "e12e115acf4552b2568b55e93cbd39394c4ef81c82447fafc997882a02d23677"}


def test_cert_larger_than_256_kb_is_refused():
    upload = SimpleUploadedFile("big.pem", b"x" * (MAX_CERT_BYTES + 1))
    form = apply(CERT, {}, files=MultiValueDict({CERT.path: [upload]}))
    assert form.secrets == {} and form.job == {}
    assert form.errors == {CERT.path: ["The certificate file is larger than 256 KB."]}


def test_cert_without_an_upload_keeps_the_stored_one():
    form = apply(CERT, {}, secrets={CERT.path: "QUJDRA=="})
    assert form.secrets == {CERT.path: "QUJDRA=="}


# --- list -------------------------------------------------------------------------------------
def test_list_items_are_joined_with_commas_without_the_empty_ones():
    form = apply(ZONES, {f"{ZONES.path}.0": " az-1 ", f"{ZONES.path}.1": ""})
    assert c.get_path(form.job, ZONES.path) == "az-1"
    form = apply(ZONES, {f"{ZONES.path}.0": "az-1", f"{ZONES.path}.1": "az-2"})
    assert c.get_path(form.job, ZONES.path) == "az-1,az-2"


def test_list_as_rendered_keeps_the_stored_spelling():
    job = {"node_info": {"base_info": {"availability_zone": "az-1, az-2"}}}
    form = apply(ZONES, {f"{ZONES.path}.0": "az-1", f"{ZONES.path}.1": "az-2"}, job)
    assert c.get_path(form.job, ZONES.path) == "az-1, az-2"


def test_list_remove_leaves_out_the_posted_item():
    form = apply(ZONES, {f"{ZONES.path}.0": "az-1", f"{ZONES.path}.1": "az-2"},
                 removing=(ZONES.path, 0))
    assert c.get_path(form.job, ZONES.path) == "az-2"


def test_list_all_empty_leaves_the_body():
    job = {"node_info": {"base_info": {"availability_zone": "az-1"}}}
    assert apply(ZONES, {f"{ZONES.path}.0": ""}, job).job == {}


# --- rows -------------------------------------------------------------------------------------
def test_rows_a_new_row_says_its_empty_cells_where_the_api_needs_them():
    form = apply(TAGS, {f"{TAGS.path}.0.key": " team ", f"{TAGS.path}.0.value": ""})
    assert form.job == {"base_info": {"tags": [{"key": "team", "value": ""}]}}


def test_rows_empty_rows_are_left_out_and_no_rows_leaves_the_body():
    job = {"base_info": {"tags": [{"key": "a", "value": "1"}]}}
    form = apply(TAGS, {f"{TAGS.path}.0.key": "", f"{TAGS.path}.0.value": ""}, job)
    assert form.job == {}


def test_rows_keep_what_no_cell_holds_and_the_stored_spelling():
    job = {"base_info": {"tags": [{"key": " a", "value": "1", "extra": True}]}}
    form = apply(TAGS, {f"{TAGS.path}.0.key": "a", f"{TAGS.path}.0.value": "1"}, job)
    assert form.job == job


def test_rows_removing_one_moves_the_next_rows_passwords_up_with_them():
    p = SHARDS.path
    job = {"source_endpoint": [{"endpoint": {"source_sharding": [
        {"ip": "10.0.0.1", "db_port": "3306"}, {"ip": "10.0.0.2", "db_port": "3306"}]}}]}
    post = {f"{p}.0.ip": "10.0.0.1", f"{p}.0.db_port": "3306",
            f"{p}.1.ip": "10.0.0.2", f"{p}.1.db_port": "3306"}
    form = apply(SHARDS, post, job, secrets={f"{p}.0.db_password": "pw-0",
                                             f"{p}.1.db_password": "pw-1"},
                 removing=(p, 0))
    assert c.get_path(form.job, p) == [{"ip": "10.0.0.2", "db_port": "3306"}]
    assert form.secrets == {f"{p}.0.db_password": "pw-1"}


def test_rows_not_numbered_as_stored_do_not_take_the_stored_passwords():
    p = SHARDS.path
    job = {"source_endpoint": [{"endpoint": {"source_sharding": [{"ip": "10.0.0.1"}]}}]}
    form = apply(SHARDS, {f"{p}.0.ip": "10.0.0.9"}, job,
                 secrets={f"{p}.0.db_password": "pw-0"}, rows_match_stored=False)
    assert form.secrets == {}


# --- NUL, for every kind: the engine strips it and says so on the field -----------------------
def test_nul_is_stripped_with_an_error_on_the_field():
    form = step_apply(step="base", job={}, secrets={}, data=query({
        "_present": NAME.path, NAME.path: "drs\x00-task-1"}), )
    assert form.job["base_info"]["name"] == "drs-task-1"
    assert form.errors[NAME.path] == [NUL_MESSAGE]


def test_nul_in_a_row_cell_is_said_on_the_rows_field():
    form = step_apply(step="base", job={}, secrets={}, data=query({
        "_present": TAGS.path, f"{TAGS.path}.0.key": "te\x00am"}), )
    assert form.job["base_info"]["tags"] == [{"key": "team", "value": ""}]
    assert form.errors[TAGS.path] == [NUL_MESSAGE]
