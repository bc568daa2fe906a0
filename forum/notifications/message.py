"""Turning an outbox row into an e-mail whose headers no content can break.

Every header value is made one line of bounded length here (line breaks and other control
characters become spaces, long text is cut), and the ``email`` library folds it: a two-line
moderator reason in a subject no longer raises ``ValueError: Header values may not contain
linefeed``. Links are absolute and built from the configured server name, never from a
request's Host header, so mail queued from the CLI links to the same place as mail queued
from a page.
"""

from __future__ import annotations

import unicodedata
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from forum.db import utcnow
from forum.kernel.registries import notification_kinds
from forum.series.links import build

SUBJECT_CHARS = 200
DEFAULT_SERVER = "127.0.0.1:5000"
UNSUBSCRIBE_SALT = "forum.mail.unsubscribe"


def single_line(text: str | None, limit: int) -> str:
    """``text`` as one line of at most ``limit`` characters: controls and breaks become spaces."""
    chars = (" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in text or "")
    line = " ".join("".join(chars).split())
    return line if len(line) <= limit else line[: max(0, limit - 1)].rstrip() + "…"


def base_url() -> str:
    """``scheme://host`` of the forum from its configuration (``SERVER_NAME``, which
    ``FORUM_SERVER_NAME`` sets, else the development server), for links that leave the site."""
    config = current_app.config
    server = config.get("SERVER_NAME") or DEFAULT_SERVER
    return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{server}"


def absolute_url(url: str) -> str:
    """A site path (``/c/trust``) made absolute on the configured server; full URLs unchanged."""
    if url.startswith(("http://", "https://")):
        return url
    return base_url() + "/" + url.lstrip("/")


def site_path(endpoint: str, **values) -> str:
    """The path of ``endpoint`` (in a request or not), for ``absolute_url``."""
    return build(endpoint, **values) or "/"


def sender() -> str:
    return single_line(
        current_app.config.get("MAIL_FROM") or "Mentorship Forum <noreply@localhost>", 300
    )


def _domain() -> str:
    address = parseaddr(sender())[1]
    if "@" in address:
        return address.rsplit("@", 1)[1]
    return base_url().split("://", 1)[1].split(":", 1)[0]


def message_id(mail) -> str:
    """Stable across retries, so a receiver can spot a message sent twice after a lost reply."""
    stamp = int(mail.created_at.timestamp()) if mail.created_at else 0
    return f"<forum.{mail.id}.{stamp}@{_domain()}>"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(address: str, kind: str = "") -> str:
    """Signed proof for the one-click link: all notification mail, or one ``kind`` of it."""
    address = address.strip().lower()
    return _serializer().dumps([address, kind] if kind else address)


def unsubscribe_target(token: str) -> tuple[str, str] | None:
    """``(address, kind)`` a one-click token was made for (kind "" for all mail), or None."""
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    if isinstance(payload, str):
        return payload, ""
    if isinstance(payload, list) and len(payload) == 2 and all(isinstance(p, str) for p in payload):
        return payload[0], payload[1]
    return None


def _unsubscribe_kind(kind: str) -> str:
    """The kind a one-click link stops: the mail's own, or all mail for a digest (many kinds)."""
    return kind if kind in notification_kinds(current_app) else ""


def _add_unsubscribe(msg: EmailMessage, address: str, kind: str) -> None:
    token = unsubscribe_token(address, _unsubscribe_kind(kind))
    one_click = absolute_url(site_path("notifications.unsubscribe", token=token))
    settings = absolute_url(site_path("notifications.email_settings"))
    msg["List-Unsubscribe"] = f"<{one_click}>, <{settings}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


def build_message(mail) -> EmailMessage:
    """The e-mail for one outbox row; notification mail (``mail.kind``) can be unsubscribed."""
    msg = EmailMessage()
    msg["From"] = sender()
    msg["To"] = single_line(mail.to, 254)
    msg["Subject"] = single_line(mail.subject, SUBJECT_CHARS)
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = message_id(mail)
    if mail.kind:
        _add_unsubscribe(msg, mail.to, mail.kind)
    msg.set_content(mail.body)
    return msg
