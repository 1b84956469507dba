"""SHAPE against the official SDK's request model, and shape_paths() against real bodies."""

import re

import pytest

from drsui.contract import SHAPE, shape_paths, validate
from drsui.contract.validate.shape import CHILD_KIND
from tests.contract.bodies import VALID_BODIES, terraform_body

# huaweicloudsdkdrs 3.1.211, v5 models: CreateJobReq and every class it holds, attribute (JSON
# key) -> SDK type. Checked by hand against huaweicloud-sdk-drs/huaweicloudsdkdrs/v5/model/.
SDK_MODEL = {
    "CreateJobReq": {
        "base_info": "JobBaseInfo", "source_endpoint": "list[JobEndpointInfo]",
        "target_endpoint": "list[JobEndpointInfo]", "period_order": "PeriodOrderInfo",
        "node_info": "JobNodeInfo", "public_ip_list": "list[PublicIpConfig]",
    },
    "JobBaseInfo": {
        "name": "str", "job_type": "str", "multi_write": "bool", "engine_type": "str",
        "job_direction": "str", "task_type": "str", "net_type": "str", "charging_mode": "str",
        "enterprise_project_id": "str", "description": "str", "start_time": "str",
        "expired_days": "str", "tags": "list[ResourceTag]", "is_open_fast_clean": "bool",
    },
    "ResourceTag": {"key": "str", "value": "str"},
    "JobEndpointInfo": {
        "db_type": "str", "endpoint_type": "str", "endpoint_role": "str",
        "endpoint": "BaseEndpoint", "cloud": "CloudBaseInfo", "vpc": "CloudVpcInfo",
        "config": "BaseEndpointConfig", "ssl": "EndpointSslConfig",
        "customized_dns": "CustomizedDns",
    },
    "BaseEndpoint": {
        "id": "str", "endpoint_name": "str", "ip": "str", "db_port": "str", "db_user": "str",
        "db_password": "str", "instance_id": "str", "instance_name": "str", "db_name": "str",
        "source_sharding": "list[BaseEndpoint]",
    },
    "CloudBaseInfo": {"region": "str", "project_id": "str", "az_code": "str"},
    "CloudVpcInfo": {"vpc_id": "str", "subnet_id": "str", "security_group_id": "str"},
    "BaseEndpointConfig": {"is_target_readonly": "bool", "node_num": "int"},
    "EndpointSslConfig": {
        "ssl_link": "bool", "ssl_cert_name": "str", "ssl_cert_key": "str",
        "ssl_cert_check_sum": "str", "ssl_cert_password": "str",
    },
    "CustomizedDns": {"is_set_dns": "bool", "set_dns_action": "str", "dns_ip": "str"},
    "PeriodOrderInfo": {"period_type": "int", "period_num": "int", "is_auto_renew": "int"},
    "JobNodeInfo": {
        "spec": "JobNodeSpecInfo", "vpc": "JobNodeVpcInfo", "base_info": "JobNodeBaseInfo",
    },
    "JobNodeSpecInfo": {"node_type": "str"},
    "JobNodeVpcInfo": {
        "vpc_id": "str", "subnet_id": "str", "custom_node_ip": "str", "security_group_id": "str",
    },
    "JobNodeBaseInfo": {
        "instance_type": "str", "arch": "str", "availability_zone": "str", "status": "str",
        "role": "str",
    },
    "PublicIpConfig": {"id": "str", "public_ip": "str", "type": "str"},
}
SHAPE_KIND = {
    "CreateJobReq": "job", "JobBaseInfo": "base_info", "ResourceTag": "tag",
    "JobEndpointInfo": "endpoint_entry", "BaseEndpoint": "endpoint", "CloudBaseInfo": "cloud",
    "CloudVpcInfo": "vpc", "BaseEndpointConfig": "config", "EndpointSslConfig": "ssl",
    "CustomizedDns": "customized_dns", "PeriodOrderInfo": "period_order",
    "JobNodeInfo": "node_info", "JobNodeSpecInfo": "spec", "JobNodeVpcInfo": "node_vpc",
    "JobNodeBaseInfo": "node_base", "PublicIpConfig": "public_ip",
}
JSON_TYPE = {"str": {"str", "str_or_null"}, "bool": {"bool"}, "int": {"int"}}


def test_the_sdk_model_is_16_classes_of_76_attributes():
    assert len(SDK_MODEL) == 16
    assert sum(len(attributes) for attributes in SDK_MODEL.values()) == 76


@pytest.mark.parametrize("sdk_class", SDK_MODEL)
def test_shape_knows_every_sdk_attribute_with_its_json_type(sdk_class):
    kind = SHAPE_KIND[sdk_class]
    assert list(SHAPE[kind]) == list(SDK_MODEL[sdk_class])
    for field, sdk_type in SDK_MODEL[sdk_class].items():
        nested = re.fullmatch(r"(list\[)?(\w+)\]?", sdk_type)
        is_list, item = bool(nested[1]), nested[2]
        if item in SDK_MODEL:
            assert SHAPE[kind][field] == ("list" if is_list else "obj")
            assert CHILD_KIND[(kind, field)] == SHAPE_KIND[item]
        else:
            assert SHAPE[kind][field] in JSON_TYPE[sdk_type], field


def test_shape_has_no_kind_beyond_the_sdk_model():
    assert set(SHAPE) == set(SHAPE_KIND.values())
    assert set(CHILD_KIND.values()) <= set(SHAPE)


def _leaf_paths(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaf_paths(item, f"{path}{key}.")
    elif isinstance(value, list):
        for item in value:
            yield from _leaf_paths(item, f"{path}*.")
    else:
        yield path[:-1]


@pytest.mark.parametrize(
    "body", [make() for make in VALID_BODIES.values()] + [terraform_body()],
    ids=[*VALID_BODIES, "terraform"],
)
def test_every_field_of_a_valid_body_is_a_shape_path(body):
    assert validate(body) == []
    known = dict(shape_paths())
    assert {path for path in _leaf_paths(body["job"])} <= set(known)


def test_shape_paths_reach_sharding_entries_but_not_their_own_sharding():
    paths = dict(shape_paths())
    assert paths["source_endpoint.*.endpoint.source_sharding.*.instance_name"] == "str"
    assert paths["base_info.enterprise_project_id"] == "str_or_null"
    assert paths["node_info.base_info.role"] == "str"
    assert not [p for p in paths if p.count("source_sharding") > 1]
    assert len(paths) == len(shape_paths())  # no path twice
