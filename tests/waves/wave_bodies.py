"""The template a wave test starts from: the API page's example, with passwords."""

from tests.contract.bodies import example_body

SOURCE = "source_endpoint.0.endpoint"
TARGET = "target_endpoint.0.endpoint"
TEMPLATE_SOURCE_PASSWORD = "template-src-pw"
TEMPLATE_TARGET_PASSWORD = "target-pw-secret"


def template_body() -> dict:
    body = example_body(0)
    body["job"]["source_endpoint"][0]["endpoint"]["db_password"] = TEMPLATE_SOURCE_PASSWORD
    body["job"]["target_endpoint"][0]["endpoint"]["db_password"] = TEMPLATE_TARGET_PASSWORD
    return body
