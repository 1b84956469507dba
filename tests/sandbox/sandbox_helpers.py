"""A valid body and small HTTP helpers for the sandbox API tests."""

import copy

import requests

PROJECT_ID = "0123456789abcdef0123456789abcdef"
OTHER_PROJECT_ID = "fedcba9876543210fedcba9876543210"
SOURCE_PASSWORD = "Src-Secret-77"
TARGET_PASSWORD = "Tgt-Secret-88"

# MySQL (self-built) -> RDS for MySQL, real-time synchronization over a public network.
MYSQL_BODY = {
    "job": {
        "base_info": {
            "name": "mysql-sync-1",
            "job_type": "sync",
            "engine_type": "mysql-to-mysql",
            "job_direction": "up",
            "task_type": "FULL_INCR_TRANS",
            "net_type": "eip",
            "charging_mode": "on_demand",
            "description": "orders to the cloud",
        },
        "source_endpoint": [
            {
                "db_type": "mysql",
                "endpoint_type": "offline",
                "endpoint_role": "so",
                "endpoint": {
                    "endpoint_name": "mysql",
                    "ip": "192.0.2.10",
                    "db_port": "3306",
                    "db_user": "repl",
                    "db_password": SOURCE_PASSWORD,
                },
            }
        ],
        "target_endpoint": [
            {
                "db_type": "mysql",
                "endpoint_type": "cloud",
                "endpoint_role": "ta",
                "endpoint": {
                    "endpoint_name": "cloud_mysql",
                    "instance_id": "5f1ea4a3bdb34fd3a9b2c8d4e5f60718in01",
                    "db_user": "root",
                    "db_password": TARGET_PASSWORD,
                },
                "cloud": {"region": "cn-north-4", "project_id": PROJECT_ID},
            }
        ],
        "node_info": {
            "spec": {"node_type": "small"},
            "vpc": {
                "vpc_id": "2cb5d364-ae63-4fbb-85b7-7d59f4a88f8f",
                "subnet_id": "2cb54324-ae63-4fbb-85b7-7d59f4a88f8f",
            },
        },
    }
}


def mysql_body(*, name: str | None = "mysql-sync-1", task_type: str = "FULL_INCR_TRANS") -> dict:
    body = copy.deepcopy(MYSQL_BODY)
    base_info = body["job"]["base_info"]
    base_info["task_type"] = task_type
    if name is None:
        del base_info["name"]
    else:
        base_info["name"] = name
    return body


def token_request(*, user="sandbox", password="sandbox", domain="sandbox", project=None) -> dict:
    return {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": user, "password": password, "domain": {"name": domain}}
                },
            },
            "scope": {"project": project or {"id": PROJECT_ID}},
        }
    }


class SandboxApi:
    """requests against one sandbox base URL, as a DRS client would send them."""

    def __init__(self, base_url: str):
        self.base_url = base_url

    def token(self, project_id: str = PROJECT_ID) -> str:
        response = requests.post(
            f"{self.base_url}/v3/auth/tokens",
            json=token_request(project={"id": project_id}),
            timeout=5,
        )
        assert response.status_code == 201, response.text
        return response.headers["X-Subject-Token"]

    def request(self, method, path, *, token=None, project_id=PROJECT_ID, **kwargs):
        headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
        if token is None:
            token = self.token(project_id)
        if token:
            headers["X-Auth-Token"] = token
        url = f"{self.base_url}/v5/{project_id}{path}"
        return requests.request(method, url, headers=headers, timeout=5, **kwargs)

    def create(self, body, **kwargs):
        return self.request("POST", "/jobs", json=body, **kwargs)
