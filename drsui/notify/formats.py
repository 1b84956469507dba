"""The message each format posts, and its signing: the robots' own (DingTalk, Feishu) and
drsui's headers on every post (X-Drsui-Timestamp, X-Drsui-Signature: sha256=<hex HMAC-SHA256
of "<timestamp>.<body>" with the webhook's secret>)."""

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.utils import translation
from django.utils.translation import gettext as _

from drsui.jobs.models import Submission

from .models import EVENT_LABELS, Webhook


@dataclass
class Post:
    url: str
    body: bytes
    headers: dict = field(default_factory=dict)


def drsui_signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def dingtalk_sign(secret: str, timestamp_ms: str) -> str:
    """DingTalk's: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64 (the caller
    URL-encodes it as a query parameter)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def feishu_sign(secret: str, timestamp: str) -> str:
    """Feishu's: HMAC-SHA256 keyed by "timestamp\\nsecret" over an empty message, base64."""
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def _with_query(url: str, params: dict) -> str:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit(parts._replace(query=query))


def _state_label(state: str) -> str:
    return str(dict(Submission.State.choices).get(state, state))


# Text people typed (a task's or project's name, a comment, a user name) is shown, never
# obeyed by the robot: one line; no tag (<at user_id="all">, WeCom's <@userid>, <font>); no
# "@all" (a zero-width space after each @); in markdown, no link, image, code or emphasis
# (each inline control character escaped with a backslash; as the text never starts a line,
# "#", "-", ">" cannot make a heading, a list or a quote).
_MARKDOWN_CONTROL = re.compile(r"([\\`*_\[\]()~|])")


def _plain(text) -> str:
    text = " ".join(str(text).split())  # newlines too: no line of its own
    return text.replace("<", "\uff1c").replace(">", "\uff1e").replace("@", "@\u200b")


def _markdown_escaped(text) -> str:
    return _MARKDOWN_CONTROL.sub(r"\\\1", _plain(text))


def _lines(payload: dict, escape) -> tuple[str, list[tuple[str, str]]]:
    """The title and the (label, value) lines a person reads, in the active language, the
    values passed through `escape`."""
    submission = payload["submission"]
    title = _("%(event)s: %(name)s") % {"event": EVENT_LABELS[payload["event"]],
                                        "name": escape(submission["name"])}
    lines = [(_("Project"), escape(submission["project"])),
             (_("Engine"), escape(submission["engine_type"] or "-")),
             (_("State"), _state_label(submission["state"]))]
    if payload["actor"]:
        lines.append((_("By"), escape(payload["actor"])))
    if payload["comment"]:
        lines.append((_("Comment"), escape(payload["comment"])))
    return title, lines


def _markdown(payload: dict) -> tuple[str, str]:
    """(the title, plain; the markdown text)."""
    title = _lines(payload, _plain)[0]
    heading, lines = _lines(payload, _markdown_escaped)
    items = "\n".join(f"- {label}: {value}" for label, value in lines)
    link = _("Open the submission")
    return title, f"#### {heading}\n\n{items}\n\n[{link}]({payload['submission']['url']})"


def _plain_text(payload: dict) -> str:
    title, lines = _lines(payload, _plain)
    items = "\n".join(f"{label}: {value}" for label, value in lines)
    return f"{title}\n{items}\n{payload['submission']['url']}"


def _json_bytes(message: dict) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()


def build_post(webhook: Webhook, payload: dict, *, url: str, language: str, now: float,
               secret: str, message_id: int) -> Post:
    """The request for one message to `webhook` at `url` (its URL, decrypted), signed at `now`
    (seconds since the epoch).
    X-Drsui-Delivery (the outbox message's id) is the same on every attempt: a receiver that
    got a message whose answer was lost ignores it the second time."""
    seconds, millis = str(int(now)), str(int(now * 1000))
    with translation.override(language):
        if webhook.format == Webhook.Format.DINGTALK:
            title, text = _markdown(payload)
            message = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
            url = _with_query(url, {"timestamp": millis, "sign": dingtalk_sign(secret, millis)})
        elif webhook.format == Webhook.Format.WECOM:
            _title, text = _markdown(payload)
            message = {"msgtype": "markdown", "markdown": {"content": text}}
        elif webhook.format == Webhook.Format.FEISHU:
            message = {"timestamp": seconds, "sign": feishu_sign(secret, seconds),
                       "msg_type": "text", "content": {"text": _plain_text(payload)}}
        else:
            message = payload
    body = _json_bytes(message)
    headers = {"Content-Type": "application/json; charset=utf-8",
               "X-Drsui-Event": payload["event"],
               "X-Drsui-Delivery": str(message_id),
               "X-Drsui-Timestamp": seconds,
               "X-Drsui-Signature": drsui_signature(secret, seconds, body)}
    return Post(url=url, body=body, headers=headers)
