import pytest

pytest.register_assert_rewrite("tests.wizard.terraform_reader")


@pytest.fixture
def client_in(client, demo_user):
    client.force_login(demo_user)
    return client
