"""Bodies, a request log and a scripted transport for the DRS client tests."""

import copy
import json

import requests
from requests.adapters import BaseAdapter

from drsui.drs import DrsClient, HttpSession, PasswordCredentials, StaticToken

PROJECT_ID = "0123456789abcdef0123456789abcdef"
OTHER_PROJECT_ID = "fedcba9876543210fedcba9876543210"
SANDBOX_CREDENTIALS = PasswordCredentials(user="sandbox", password="sandbox", domain="sandbox")
DB_PASSWORD = "Db-Secret-4711"

# The API page's first example (Oracle -> GaussDB Distributed over a public network).
EXAMPLE_BODY = {
    "job": {
        "base_info": {
            "name": "DRS-1234",
            "job_type": "sync",
            "engine_type": "oracle-to-gaussdbv5",
            "job_direction": "up",
            "task_type": "FULL_INCR_TRANS",
            "net_type": "eip",
            "charging_mode": "on_demand",
            "enterprise_project_id": "0",
            "description": "",
            "expired_days": "14",
            "tags": [{"key": "test", "value": "test"}],
        },
        "source_endpoint": [
            {
                "db_type": "oracle",
                "endpoint_type": "offline",
                "endpoint_role": "so",
                "endpoint": {
                    "endpoint_name": "oracle",
                    "ip": "10.154.217.239",
                    "db_port": "1521",
                    "db_user": "ORACLE_USER",
                    "db_name": "serviceName.orcl",
                    "db_password": DB_PASSWORD,
                },
                "ssl": {"ssl_link": False},
            }
        ],
        "target_endpoint": [
            {
                "db_type": "gaussdbv5",
                "endpoint_type": "cloud",
                "endpoint_role": "ta",
                "endpoint": {
                    "endpoint_name": "cloud_gaussdbv5",
                    "instance_id": "c2c7579bc09c490b9d8009db715aeb0ain14",
                    "db_user": "root",
                    "db_password": DB_PASSWORD,
                },
                "cloud": {
                    "region": "cn-north-4",
                    "project_id": "9dc8c0f3f74c4dbb23c29cf0318ee561",
                    "az_code": "cn-north-4a,cn-north-4c,cn-north-4g",
                },
                "vpc": {
                    "vpc_id": "2cb5d364-ae63-4fbb-85b7-7d59f4a88f8f",
                    "subnet_id": "2cb54324-ae63-4fbb-85b7-7d59f4a88f8f",
                    "security_group_id": "039a3s89-665a-43e2-9b4f-bda7d9ee148d",
                },
            }
        ],
        "node_info": {
            "spec": {"node_type": "medium"},
            "vpc": {
                "vpc_id": "2cb5d364-ae63-4fbb-85b7-7d59f4a88f8f",
                "subnet_id": "2cb54324-ae63-4fbb-85b7-7d59f4a88f8f",
            },
        },
    }
}


def job_body(*, name: str | None = "DRS-1234") -> dict:
    body = copy.deepcopy(EXAMPLE_BODY)
    if name is None:
        del body["job"]["base_info"]["name"]
    else:
        body["job"]["base_info"]["name"] = name
    return body


class RequestLog:
    """A requests response hook recording (method, path, status) of every exchange."""

    def __init__(self):
        self.exchanges = []

    def __call__(self, response, *args, **kwargs):
        self.exchanges.append(
            (response.request.method, requests.utils.urlparse(response.url).path, response)
        )

    def count(self, path_part: str) -> int:
        return sum(1 for _, path, _ in self.exchanges if path_part in path)


class ScriptedAdapter(BaseAdapter):
    """A transport answering from a script: each entry an exception to raise or
    (status, body) or (status, body, headers), body a dict (sent as JSON) or bytes."""

    def __init__(self, *script):
        super().__init__()
        self.script = list(script)
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append((request, kwargs))
        entry = self.script.pop(0)
        if isinstance(entry, Exception):
            raise entry
        status, body, headers = entry if len(entry) == 3 else (*entry, {})
        response = requests.Response()
        response.status_code = status
        response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        response.headers.update(headers)
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


def scripted_client(*script, **overrides) -> tuple[DrsClient, ScriptedAdapter]:
    """A DrsClient whose session answers from `script` (see ScriptedAdapter), at http://drs.test."""
    adapter = ScriptedAdapter(*script)
    session = HttpSession(connect_timeout=1, read_timeout=1)
    session.mount("http://", adapter)
    options = {
        "drs_endpoint": "http://drs.test",
        "iam_endpoint": "http://iam.test",
        "project_id": PROJECT_ID,
        "credentials": StaticToken("static-token-value"),
        "session": session,
        **overrides,
    }
    return DrsClient(**options), adapter
