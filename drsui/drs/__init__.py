"""Integration with Huawei Cloud DRS and IAM over HTTP (Django for client_for and for the
errors' messages in the active language)."""

from drsui.drs.client import DrsClient
from drsui.drs.credentials import AccessKeyCredentials, PasswordCredentials, StaticToken
from drsui.drs.errors import DrsApiError, DrsAuthError, DrsError, DrsUnavailable
from drsui.drs.factory import client_for
from drsui.drs.http import USER_AGENT, HttpSession
from drsui.drs.tokens import TOKEN_CACHE

__all__ = [
    "TOKEN_CACHE",
    "USER_AGENT",
    "AccessKeyCredentials",
    "DrsApiError",
    "DrsAuthError",
    "DrsClient",
    "DrsError",
    "DrsUnavailable",
    "HttpSession",
    "PasswordCredentials",
    "StaticToken",
    "client_for",
]
