"""Creating notifications. Texts are short, content-free lines ("New reply to your comment")."""

from __future__ import annotations

from forum.extensions import db
from forum.notifications.models import Notification


def notify(user_id: int, kind: str, text: str, url: str = "") -> Notification:
    """Queue an in-app notification for ``user_id`` in the caller's transaction."""
    note = Notification(user_id=user_id, kind=kind, text=text[:500], url=url[:500])
    db.session.add(note)
    return note


def queue_mail(to: str, subject: str, body: str):
    """Put an e-mail in the outbox (sent by ``flask forum send-mail``); nothing is lost offline."""
    from forum.notifications.models import OutboxMail

    mail = OutboxMail(to=to, subject=subject[:300], body=body)
    db.session.add(mail)
    return mail
