"""The errors the DRS client raises. Messages never carry tokens, passwords or request bodies.

Each message is an English template and its values: `str(error)` is the English sentence (for
logs and developers), `error.message` the same sentence in the active language (for people).
DRS's own `error_msg` is one of the values, so it is shown as DRS returned it.
"""

from django.utils.translation import gettext, gettext_noop

from drsui.contract import error_msg_parse


class DrsError(Exception):
    """Base of every error the DRS client raises."""

    def __init__(self, template: str, /, **values):
        self.template, self.values = template, values
        super().__init__(template % values if values else template)

    @property
    def message(self) -> str:
        """The message in the active language."""
        text = gettext(self.template)
        return text % self.values if self.values else text


class DrsApiError(DrsError):
    """DRS answered with an error body: 400 {"error_code": "DRS.10000001", "error_msg": ...}.

    `error_path` is the body field the message names first ("base_info.name: …"), else "".
    """

    def __init__(self, status: int, error_code: str, error_msg: str):
        super().__init__(
            gettext_noop("DRS refused the request (HTTP %(status)s, %(code)s): %(error_msg)s"),
            status=status, code=error_code, error_msg=error_msg)
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.error_path, _ = error_msg_parse(error_msg)


class DrsAuthError(DrsError):
    """IAM refused the credentials, or DRS refused them (401/403; a password token after one
    renewal)."""

    def __init__(self, template: str, /, *, status: int | None = None, **values):
        super().__init__(template, **_with_status(values, status))
        self.status = status


class DrsUnavailable(DrsError):
    """DRS or IAM could not be reached or gave no usable answer.

    `sent` is False when the DRS request certainly never reached DRS (connection refused,
    connect timeout, DNS failure, IAM unreachable before the call): repeating it is safe.
    `sent` is True when it may have been received and acted upon (read timeout, 5xx, malformed
    reply, connection dropped after sending): a create must then not be repeated blindly.
    """

    def __init__(self, template: str, /, *, sent: bool, status: int | None = None, **values):
        super().__init__(template, **_with_status(values, status))
        self.sent = sent
        self.status = status


def _with_status(values: dict, status: int | None) -> dict:
    """The HTTP status is also a value the message may name (%(status)s)."""
    return values if status is None else {**values, "status": status}
