"""SHAPE: the one statement of the create-job body's shape (R-00).

For each kind of object, its fields and their JSON types: the API page's tables 4-19, which are
the SDK's request model too (huaweicloudsdkdrs v5: CreateJobReq and the 15 classes it holds,
76 attributes; tests/contract/test_contract_shape.py lists them). CHILD_KIND says which kind an
object field, or each item of a list field, is.
"""

from ..i18n import gettext_noop, pgettext

SHAPE = {
    "job": {  # CreateJobReq
        "base_info": "obj",
        "source_endpoint": "list",
        "target_endpoint": "list",
        "period_order": "obj",
        "node_info": "obj",
        "public_ip_list": "list",
    },
    "base_info": {  # JobBaseInfo
        "name": "str",
        "job_type": "str",
        "multi_write": "bool",
        "engine_type": "str",
        "job_direction": "str",
        "task_type": "str",
        "net_type": "str",
        "charging_mode": "str",
        "enterprise_project_id": "str_or_null",  # null means not set
        "description": "str",
        "start_time": "str",
        "expired_days": "str",
        "tags": "list",
        "is_open_fast_clean": "bool",
    },
    "tag": {"key": "str", "value": "str"},  # ResourceTag
    "endpoint_entry": {  # JobEndpointInfo
        "db_type": "str",
        "endpoint_type": "str",
        "endpoint_role": "str",
        "endpoint": "obj",
        "cloud": "obj",
        "vpc": "obj",
        "config": "obj",
        "ssl": "obj",
        "customized_dns": "obj",
    },
    "endpoint": {  # BaseEndpoint
        "id": "str",
        "endpoint_name": "str",
        "ip": "str",
        "db_port": "str",
        "db_user": "str",
        "db_password": "str",
        "instance_id": "str",
        "instance_name": "str",
        "db_name": "str",
        "source_sharding": "list",
    },
    "cloud": {"region": "str", "project_id": "str", "az_code": "str"},  # CloudBaseInfo
    "vpc": {"vpc_id": "str", "subnet_id": "str", "security_group_id": "str"},  # CloudVpcInfo
    "config": {"is_target_readonly": "bool", "node_num": "int"},  # BaseEndpointConfig
    "ssl": {  # EndpointSslConfig
        "ssl_link": "bool",
        "ssl_cert_name": "str",
        "ssl_cert_key": "str",
        "ssl_cert_check_sum": "str",
        "ssl_cert_password": "str",
    },
    "customized_dns": {"is_set_dns": "bool", "set_dns_action": "str", "dns_ip": "str"},
    "period_order": {"period_type": "int", "period_num": "int", "is_auto_renew": "int"},
    "node_info": {"spec": "obj", "vpc": "obj", "base_info": "obj"},  # JobNodeInfo
    "spec": {"node_type": "str"},  # JobNodeSpecInfo
    "node_vpc": {  # JobNodeVpcInfo
        "vpc_id": "str",
        "subnet_id": "str",
        "custom_node_ip": "str",
        "security_group_id": "str",
    },
    "node_base": {  # JobNodeBaseInfo
        "instance_type": "str",
        "arch": "str",
        "availability_zone": "str",
        "status": "str",  # read-only: accepted on import
        "role": "str",
    },
    "public_ip": {"id": "str", "public_ip": "str", "type": "str"},  # PublicIpConfig
}

CHILD_KIND = {
    ("job", "base_info"): "base_info",
    ("job", "source_endpoint"): "endpoint_entry",
    ("job", "target_endpoint"): "endpoint_entry",
    ("job", "period_order"): "period_order",
    ("job", "node_info"): "node_info",
    ("job", "public_ip_list"): "public_ip",
    ("base_info", "tags"): "tag",
    ("endpoint_entry", "endpoint"): "endpoint",
    ("endpoint_entry", "cloud"): "cloud",
    ("endpoint_entry", "vpc"): "vpc",
    ("endpoint_entry", "config"): "config",
    ("endpoint_entry", "ssl"): "ssl",
    ("endpoint_entry", "customized_dns"): "customized_dns",
    ("endpoint", "source_sharding"): "endpoint",
    ("node_info", "spec"): "spec",
    ("node_info", "vpc"): "node_vpc",
    ("node_info", "base_info"): "node_base",
}

IS_TYPE = {
    "str": lambda v: isinstance(v, str),
    "str_or_null": lambda v: v is None or isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "obj": lambda v: isinstance(v, dict),
    "list": lambda v: isinstance(v, list),
}
# What a field of each JSON type must be, for "must be X, not Y" messages: said with _().
WANT = {
    "str": gettext_noop("text in quotes (a JSON string)"),
    "str_or_null": gettext_noop("text in quotes (a JSON string) or null"),
    "bool": gettext_noop("true or false (a JSON boolean)"),
    "int": gettext_noop("a whole number without quotes"),
    "obj": gettext_noop("an object { … }"),
    "list": gettext_noop("a list [ … ]"),
}


def shape_paths(kind="job", prefix="", in_sharding=False):
    """(path, JSON type) of every field under a kind, in SHAPE order; list items are "*".

    e.g. ("source_endpoint.*.endpoint.ip", "str"). A source_sharding entry is an endpoint
    without a source_sharding of its own (R-34).
    """
    found = []
    for field, json_type in SHAPE[kind].items():
        if in_sharding and field == "source_sharding":
            continue
        path = f"{prefix}{field}"
        found.append((path, json_type))
        child = CHILD_KIND.get((kind, field))
        if child:
            item = f"{path}.*." if json_type == "list" else f"{path}."
            found += shape_paths(child, item, in_sharding or field == "source_sharding")
    return found


def kind_of(value):
    """What a JSON value is, in words, for "must be X, not Y" messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return pgettext("JSON value", "a number")
    if isinstance(value, str):
        return pgettext("JSON value", "text")
    if isinstance(value, list):
        return pgettext("JSON value", "a list")
    return pgettext("JSON value", "an object")
