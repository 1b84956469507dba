import pytest


@pytest.fixture
def client_in(client, demo_user):
    client.force_login(demo_user)
    return client
