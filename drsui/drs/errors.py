"""The errors the DRS client raises. Messages never carry tokens, passwords or request bodies."""

from drsui.contract import error_msg_parse


class DrsError(Exception):
    """Base of every error the DRS client raises."""


class DrsApiError(DrsError):
    """DRS answered with an error body: 400 {"error_code": "DRS.10000001", "error_msg": ...}.

    `error_path` is the body field the message names first ("base_info.name: …"), else "".
    """

    def __init__(self, status: int, error_code: str, error_msg: str):
        super().__init__(f"DRS refused the request (HTTP {status}, {error_code}): {error_msg}")
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.error_path, _ = error_msg_parse(error_msg)


class DrsAuthError(DrsError):
    """IAM refused the credentials, or DRS refused them (401/403; a password token after one
    renewal)."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class DrsUnavailable(DrsError):
    """DRS or IAM could not be reached or gave no usable answer.

    `sent` is False when the DRS request certainly never reached DRS (connection refused,
    connect timeout, DNS failure, IAM unreachable before the call): repeating it is safe.
    `sent` is True when it may have been received and acted upon (read timeout, 5xx, malformed
    reply, connection dropped after sending): a create must then not be repeated blindly.
    """

    def __init__(self, message: str, *, sent: bool, status: int | None = None):
        super().__init__(message)
        self.sent = sent
        self.status = status
