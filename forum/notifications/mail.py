"""The outbox sender: ``flask forum send-mail`` (and the ``send-mail`` periodic job).

``MAIL_URL`` picks the backend: ``smtp://user:pass@host:port`` (``smtps://`` for TLS on connect,
``?starttls=1`` to upgrade), or ``console://`` (the default) which prints each mail. A mail is
marked sent only after the backend took it, so nothing is lost while no mail server exists.
A message that cannot be built or sent counts one failed attempt and the next one is sent:
no message can block the ones after it (``forum.notifications.outbox``).
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

import click
from flask import current_app

from forum.extensions import db
from forum.mail.models import OutboxMail
from forum.notifications import outbox
from forum.notifications.message import build_message
from forum.notifications.triggers import deliver_due_parts

BATCH = 100


class ConsoleBackend:
    """Prints each mail readable: headers, then the body decoded (no quoted-printable or
    base64 on screen), so a reset or invitation link can be copied as it is."""

    def send(self, msg: EmailMessage) -> None:
        click.echo(printable(msg))
        click.echo("-" * 60)

    def close(self) -> None:
        pass


def printable(msg: EmailMessage) -> str:
    """The headers and the decoded text of ``msg``, as a person reads it."""
    headers = "\n".join(
        f"{name}: {value}"
        for name, value in msg.items()
        if name.lower() != "content-transfer-encoding"  # the body below is decoded already
    )
    body = msg.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    return f"{headers}\n\n{text}"

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
        try:
            self.server.quit()
        except (smtplib.SMTPException, OSError):
            pass  # the mails are sent or counted already; a lost goodbye changes nothing


def backend_for(url: str | None):
    if url and url.startswith(("smtp://", "smtps://")):
        return SmtpBackend(url)
    return ConsoleBackend()


def _send_one(backend, mail_id: int) -> bool | None:
    """True if sent, False if the attempt failed, None if an admin dropped it meanwhile."""
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None:
        return None
    try:
        backend.send(build_message(mail))
    except Exception as error:  # any failure of one message is that message's, never the batch's
        outbox.record_failure(mail, error)
        return False
    outbox.mark_sent(mail)
    return True


def send_pending(limit: int = BATCH, backend=None) -> tuple[int, int]:
    """Claim and send up to ``limit`` due mails; returns ``(sent, failed)``. Each is committed on
    its own. ``backend`` (anything with ``send(msg)``) replaces the one ``MAIL_URL`` names."""
    ids = outbox.claim_batch(limit)
    if not ids:
        return 0, 0
    own = backend is None
    if own:
        try:
            backend = backend_for(current_app.config.get("MAIL_URL"))
        except (smtplib.SMTPException, OSError) as error:
            outbox.release(ids)
            click.echo(
                f"mail server unreachable ({type(error).__name__}); {len(ids)} stay queued",
                err=True,
            )
            return 0, len(ids)
    results = []
    try:
        results = [_send_one(backend, mail_id) for mail_id in ids]
    finally:
        if own:
            backend.close()
    return results.count(True), results.count(False)


def send_mail_job() -> str:
    """The ``send-mail`` periodic job."""
    sent, failed = send_pending()
    return f"{sent} sent, {failed} failed"


@click.command("send-mail")
@click.option("--limit", default=BATCH, show_default=True, help="Most mails to send in this run.")
def send_mail_command(limit: int):
    """Notify watchers of parts that went live, then send queued e-mails (or print them)."""

    deliver_due_parts()
    db.session.commit()
    sent, failed = send_pending(limit)
    click.echo(f"{sent} sent, {failed} failed")
    if failed:
        raise SystemExit(1)
