"""The DRS client for a cloud project, with the project's credentials."""

from drsui.drs.credentials import AccessKeyCredentials, PasswordCredentials, StaticToken
from drsui.drs.factory import client_for
from drsui.wizard.models import CloudProject


def drs_client_for(project: CloudProject, *, language: str | None = None):
    """A client with the project's credentials: its access key pair, else its token, else its
    IAM user. `language`: the person's (a submission's), sent to DRS as X-Language; without
    one, the project's own."""
    if project.has_access_key_pair:
        credentials = AccessKeyCredentials(access_key=project.access_key,
                                           secret_key=project.secret_key())
    elif project.has_static_token:
        credentials = StaticToken(project.static_token())
    else:
        credentials = PasswordCredentials(
            user=project.iam_user, password=project.iam_password(), domain=project.iam_domain)
    return client_for(drs_endpoint=project.drs_endpoint, iam_endpoint=project.iam_endpoint,
                      project_id=project.project_id, credentials=credentials,
                      language=language or project.language)
