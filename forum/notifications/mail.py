"""The outbox worker: ``flask forum send-mail`` sends queued e-mails over SMTP or prints them.

``MAIL_URL`` picks the backend: ``smtp://user:pass@host:port`` (``smtps://`` for TLS on connect,
``?starttls=1`` to upgrade), or ``console://`` (the default) which prints each mail. A mail is
marked sent only after the backend took it, so nothing is lost while no mail server exists.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

import click
from flask import current_app
from sqlalchemy import select

from forum.db import utcnow
from forum.extensions import db
from forum.notifications.models import OutboxMail

BATCH = 100


def _message(mail: OutboxMail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, mail.to, mail.subject
    msg.set_content(mail.body)
    return msg


class ConsoleBackend:
    def send(self, msg: EmailMessage) -> None:
        click.echo(msg.as_string())
        click.echo("-" * 60)

    def close(self) -> None:
        pass


class SmtpBackend:
    def __init__(self, url: str):
        parts = urlsplit(url)
        secure = parts.scheme == "smtps"
        port = parts.port or (465 if secure else 25)
        cls = smtplib.SMTP_SSL if secure else smtplib.SMTP
        self.server = cls(parts.hostname or "localhost", port, timeout=30)
        if parse_qs(parts.query).get("starttls") == ["1"]:
            self.server.starttls()
        if parts.username:
            self.server.login(unquote(parts.username), unquote(parts.password or ""))

    def send(self, msg: EmailMessage) -> None:
        self.server.send_message(msg)

    def close(self) -> None:
        self.server.quit()


def backend_for(url: str | None):
    if url and url.startswith(("smtp://", "smtps://")):
        return SmtpBackend(url)
    return ConsoleBackend()


def send_pending(limit: int = BATCH) -> tuple[int, int]:
    """Send up to ``limit`` queued mails; returns ``(sent, failed)``. Each is committed on its own."""
    mails = db.session.execute(
        select(OutboxMail).where(OutboxMail.sent_at.is_(None)).order_by(OutboxMail.id).limit(limit)
    ).scalars().all()
    if not mails:
        return 0, 0
    sender = current_app.config.get("MAIL_FROM", "Mentorship Forum <noreply@localhost>")
    try:
        backend = backend_for(current_app.config.get("MAIL_URL"))
    except (smtplib.SMTPException, OSError) as error:
        click.echo(f"mail server unreachable ({type(error).__name__}); {len(mails)} stay queued", err=True)
        return 0, len(mails)
    sent = failed = 0
    try:
        for mail in mails:
            try:
                backend.send(_message(mail, sender))
            except (smtplib.SMTPException, OSError) as error:
                failed += 1
                click.echo(f"mail {mail.id} not sent ({type(error).__name__}); it stays queued", err=True)
                continue
            mail.sent_at = utcnow()
            db.session.commit()
            sent += 1
    finally:
        backend.close()
    return sent, failed


@click.command("send-mail")
@click.option("--limit", default=BATCH, show_default=True, help="Most mails to send in this run.")
def send_mail_command(limit: int):
    """Notify watchers of parts that went live, then send queued e-mails (or print them)."""
    from forum.notifications.triggers import deliver_due_parts

    deliver_due_parts()
    db.session.commit()
    sent, failed = send_pending(limit)
    click.echo(f"{sent} sent, {failed} failed")
    if failed:
        raise SystemExit(1)
