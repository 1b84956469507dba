"""The cloud project admin: an access key pair besides an IAM user or a token, its secret key
stored encrypted and never rendered back."""

import pytest
from django.urls import reverse

from drsui.wizard.models import CloudProject

pytestmark = pytest.mark.django_db

SK = "Admin-Typed-Secret-Key-0123456789abcdefgh"
ADD = reverse("admin:wizard_cloudproject_add")


def project_post(**fields):
    data = {
        "name": "Prod", "region": "cn-north-4", "project_id": "0123456789abcdef0123456789abcdef",
        "drs_endpoint": "https://drs.cn-north-4.myhuaweicloud.com",
        "iam_endpoint": "https://iam.cn-north-4.myhuaweicloud.com",
        "iam_user": "", "iam_domain": "", "iam_password": "", "static_token": "",
        "access_key": "", "secret_key": "", "language": "en-us",
    }
    data.update(fields)
    return data


def change_url(project):
    return reverse("admin:wizard_cloudproject_change", args=[project.pk])


def test_an_aksk_project_is_added_and_its_secret_key_never_shown(admin_client):
    response = admin_client.post(ADD, project_post(access_key="HPUAPRODACCESSKEY001",
                                                   secret_key=SK), follow=True)
    assert response.status_code == 200
    project = CloudProject.objects.get(name="Prod")
    assert project.access_key == "HPUAPRODACCESSKEY001"
    assert project.secret_key() == SK
    assert SK not in project.secret_key_encrypted

    listing = admin_client.get(reverse("admin:wizard_cloudproject_changelist")).content.decode()
    form = admin_client.get(change_url(project)).content.decode()
    assert "AK/SK (set)" in listing
    assert "HPUAPRODACCESSKEY001" in form and "Set — leave empty to keep it." in form
    for page in (response.content.decode(), listing, form):
        assert SK not in page


def test_saving_without_typing_the_secret_key_keeps_it(admin_client):
    admin_client.post(ADD, project_post(access_key="HPUAPRODACCESSKEY001", secret_key=SK))
    project = CloudProject.objects.get(name="Prod")

    admin_client.post(change_url(project), project_post(access_key="HPUAPRODACCESSKEY001",
                                                        region="cn-east-3"))

    project.refresh_from_db()
    assert (project.region, project.secret_key()) == ("cn-east-3", SK)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"access_key": "HPUAPRODACCESSKEY001"}, "secret_key", "Enter the secret key (SK)"),
        ({"secret_key": SK}, "access_key", "Enter the access key (AK)"),
        ({}, None, "a way to authenticate"),
    ],
    ids=["AK without SK", "SK without AK", "no credentials"],
)
def test_an_incomplete_project_is_refused_on_the_right_field(admin_client, fields, field,
                                                             message):
    response = admin_client.post(ADD, project_post(**fields))

    assert response.status_code == 200
    form = response.context["adminform"].form
    errors = form.errors[field] if field else form.non_field_errors()
    assert any(message in error for error in errors)
    assert not CloudProject.objects.exists()
    page = response.content.decode()
    assert SK not in page  # a typed secret is asked for again, not echoed
    if "access_key" in fields:
        assert 'value="HPUAPRODACCESSKEY001"' in page


def test_the_pair_can_be_removed_for_an_iam_user(admin_client):
    admin_client.post(ADD, project_post(access_key="HPUAPRODACCESSKEY001", secret_key=SK))
    project = CloudProject.objects.get(name="Prod")

    admin_client.post(change_url(project), project_post(
        access_key="HPUAPRODACCESSKEY001", clear_access_key="on", iam_user="ops",
        iam_domain="acme", iam_password="iam-pass-1"))

    project.refresh_from_db()
    assert (project.access_key, project.has_secret_key) == ("", False)
    assert project.iam_password() == "iam-pass-1"
