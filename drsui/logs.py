"""Logs: one JSON object per line (production), each record tagged with its request's id and
user, and every record's text masked of secrets before any handler writes it.

RequestIdMiddleware takes the proxy's X-Request-ID when it is a sane token (else makes one),
keeps it for the records logged while the request runs, and echoes it in the response."""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.dispatch import receiver

MASK = "******"
REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}")
_request = contextvars.ContextVar("drsui_request", default=None)

# Names under which a secret travels: passwords, tokens (X-Auth-Token, X-Subject-Token),
# keys (AK/SK, access/secret/private keys, the certificate key), cookies.
_KEY = (r"[\w-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key"
        r"|cert[_-]?key)[\w-]*|ak|sk|sessionid|csrftoken")
_QUOTED = r"""(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')"""
_MASKS = [
    # PEM blocks: certificates and private keys, whole (also cut off, also with \n escaped).
    (re.compile(r"-----BEGIN [A-Z0-9 ]+-----.*?(?:-----END [A-Z0-9 ]+-----|\Z)", re.S),
     "-----" + MASK + "-----"),
    # Authorization / Cookie headers: the whole value, to the end of the line or the quote.
    (re.compile(r"""(?i)(?<![\w-])((?:proxy-)?authorization|(?:set-)?cookie)(["']?\s*[:=]\s*["']?)"""
                r"""[^\r\n"']+"""), r"\1\2" + MASK),
    # "key": "value" (JSON, also JSON inside a JSON string) and 'key': 'value' (a dict's repr).
    (re.compile(rf"""(?i)(\\*["'])({_KEY})\1(\s*:\s*)(\\*["']).*?(?<!\\)\4"""),
     r"\1\2\1\3\4" + MASK + r"\4"),
    # key=value, key: value, key='value' (query strings, keyword arguments, headers, text).
    (re.compile(rf"""(?i)(?<![\w-])({_KEY})(\s*[:=]\s*)(?:{_QUOTED}|[^\s,;&'"<>(){{}}\[\]]+)"""),
     r"\1\2" + MASK),
    # A robot webhook's token in its URL: WeCom's ?key=, Feishu's /hook/<id> (DingTalk's
    # access_token= is a key=value above).
    (re.compile(r"(?i)([?&]key=)[^\s&#\"'<>]+"), r"\1" + MASK),
    (re.compile(r"(?i)(/hook/)[^\s/?#\"'<>]+"), r"\1" + MASK),
    # user:password@ in a URL (a DATABASE_URL in an error).
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s/]+(?=@)"), r"\1" + MASK),
    # Long unbroken base64 (an IAM token, an encoded certificate), wherever it stands.
    (re.compile(r"[A-Za-z0-9+/_=-]{100,}"), MASK),
]


def mask_secrets(text: str) -> str:
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


class MaskSecrets(logging.Filter):
    """Renders each record's message (its arguments included) and its traceback, masked; on a
    handler, so that every record written passes through it, whichever logger made it."""

    _formatter = logging.Formatter()

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is, masked
            message = f"{record.msg} {record.args}"
        record.msg, record.args = mask_secrets(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True


class RequestContext(logging.Filter):
    """Adds request_id and user (None outside a request) to every record."""

    def filter(self, record):
        current = _request.get()
        record.request_id = current["request_id"] if current else None
        record.user = _user_name(current["request"]) if current else None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user": getattr(record, "user", None),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


@receiver(request_finished)
def _request_over(**kwargs):
    _request.set(None)


def _user_name(request) -> str | None:
    """The person, named once the request has loaded its user (a view or a check did): a log
    record never costs a session and user query, which every request would pay, /healthz too."""
    user = getattr(request, "_cached_user", None)
    return user.get_username() if user is not None and user.is_authenticated else None


def request_id_from(value: str | None) -> str:
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        # Until the response is closed (request_finished): Django logs a 4xx/5xx answer after
        # the middleware has returned it.
        _request.set({"request_id": request_id, "request": request})
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response
