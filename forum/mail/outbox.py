"""Queueing one e-mail: the call every feature uses to send mail."""

from __future__ import annotations

from forum.extensions import db
from forum.mail.models import OutboxMail
from forum.mail.text import single_line


def queue_mail(to: str, subject: str, body: str, kind: str = "") -> OutboxMail:
    """Put one e-mail in the outbox (caller's transaction); ``flask forum send-mail`` delivers it.

    Queued whatever ``MAIL_URL`` says: without it the console backend prints each mail. ``kind``
    (a notification kind) marks mail the member can unsubscribe from. The subject is kept to one
    line here already; the sender makes every header safe again (rows queued before this).
    """
    mail = OutboxMail(to=to[:254], subject=single_line(subject, 300), body=body, kind=kind[:60])
    db.session.add(mail)
    return mail
