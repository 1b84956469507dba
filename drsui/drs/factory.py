"""The one place the DRS client reads Django settings."""

from drsui.drs.client import DrsClient
from drsui.drs.credentials import PasswordCredentials, StaticToken


def client_for(
    *,
    drs_endpoint: str,
    iam_endpoint: str,
    project_id: str,
    credentials: PasswordCredentials | StaticToken,
    language: str = "en-us",
) -> DrsClient:
    """A DrsClient with the timeouts from settings.DRSUI_HTTP_CONNECT/READ_TIMEOUT."""
    from django.conf import settings

    return DrsClient(
        drs_endpoint=drs_endpoint,
        iam_endpoint=iam_endpoint,
        project_id=project_id,
        credentials=credentials,
        language=language,
        connect_timeout=settings.DRSUI_HTTP_CONNECT_TIMEOUT,
        read_timeout=settings.DRSUI_HTTP_READ_TIMEOUT,
    )
