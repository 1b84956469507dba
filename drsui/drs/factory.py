"""The one place the DRS client reads Django settings."""

from drsui.drs.client import DrsClient
from drsui.drs.credentials import AccessKeyCredentials, PasswordCredentials, StaticToken
from drsui.drs.http import thread_session


def client_for(
    *,
    drs_endpoint: str,
    iam_endpoint: str,
    project_id: str,
    credentials: PasswordCredentials | StaticToken | AccessKeyCredentials,
    language: str = "en",
) -> DrsClient:
    """A DrsClient with the timeouts from settings.DRSUI_HTTP_CONNECT/READ_TIMEOUT, on this
    thread's kept session, asking DRS to answer in `language` ("zh-hans" or "zh-cn": Chinese)."""
    from django.conf import settings

    connect, read = settings.DRSUI_HTTP_CONNECT_TIMEOUT, settings.DRSUI_HTTP_READ_TIMEOUT
    return DrsClient(
        drs_endpoint=drs_endpoint,
        iam_endpoint=iam_endpoint,
        project_id=project_id,
        credentials=credentials,
        language=language,
        connect_timeout=connect,
        read_timeout=read,
        session=thread_session(connect_timeout=connect, read_timeout=read),
    )
