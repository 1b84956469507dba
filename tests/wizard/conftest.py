import pytest

from drsui.wizard.models import CloudProject


@pytest.fixture
def project(db):
    p = CloudProject.objects.create(
        name="Sandbox", region="cn-north-4", project_id="054ba152d480d55b2f5dc0069e7ddef0",
        drs_endpoint="http://127.0.0.1:9/sandbox", iam_endpoint="http://127.0.0.1:9/sandbox",
        iam_user="sandbox", iam_domain="sandbox")
    p.set_iam_password("sandbox")
    p.save()
    return p


@pytest.fixture
def client_in(client, demo_user):
    client.force_login(demo_user)
    return client
