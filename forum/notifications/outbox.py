"""The outbox's bookkeeping: claiming rows, back-off after a failure, and an admin's retry/drop.

Two senders never send one message twice: a sender claims a batch by moving ``claimed_until``
forward in one short transaction (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite
takes its write lock before the claim's read, so claims queue). A sender that dies
mid-batch leaves its claim to expire. A failed attempt waits ``MAIL_RETRY_SECONDS * 2**(n-1)``
(at most a day); after ``MAIL_MAX_ATTEMPTS`` the row is marked failed and waits for an admin.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update

from forum.audit.log import record, snapshot
from forum.db import lock_for_writing, utcnow
from forum.extensions import db
from forum.mail.models import OutboxMail
from forum.mail.text import single_line

log = logging.getLogger("forum.mail")
LEASE = timedelta(minutes=10)
MAX_DELAY = timedelta(days=1)


def _due(now):
    return (
        OutboxMail.sent_at.is_(None),
        OutboxMail.failed_at.is_(None),
        or_(OutboxMail.next_attempt_at.is_(None), OutboxMail.next_attempt_at <= now),
        or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
    )


def claim_batch(limit: int) -> list[int]:
    """Ids of up to ``limit`` due messages, now claimed by this sender (committed)."""
    db.session.commit()  # a fresh transaction, holding SQLite's write lock from its start
    lock_for_writing()
    now = utcnow()
    stmt = select(OutboxMail.id).where(*_due(now)).order_by(OutboxMail.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    ids = list(db.session.execute(stmt).scalars())
    if ids:
        db.session.execute(
            update(OutboxMail)
            .where(OutboxMail.id.in_(ids))
            .values(claimed_until=now + LEASE)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return ids


def release(ids: list[int]) -> None:
    """Give claimed messages back untouched (the mail server was unreachable: not their fault)."""
    db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id.in_(ids), OutboxMail.sent_at.is_(None))
        .values(claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def mark_sent(mail: OutboxMail) -> None:
    mail.sent_at, mail.claimed_until = utcnow(), None
    db.session.commit()


def error_text(error: BaseException, mail: OutboxMail) -> str:
    """The error as one line, with the message's own subject and lines cut out of it."""
    text = f"{type(error).__name__}: {error}"
    for secret in sorted((mail.subject, *mail.body.splitlines()), key=len, reverse=True):
        if len(secret.strip()) >= 6:
            text = text.replace(secret, "[…]")
    return single_line(text, 500)


def retry_delay(attempts: int) -> timedelta:
    base = int(current_app.config.get("MAIL_RETRY_SECONDS", 60))
    return min(MAX_DELAY, timedelta(seconds=base * 2 ** max(0, attempts - 1)))


def record_failure(mail: OutboxMail, error: BaseException) -> None:
    """Count a failed attempt: wait longer before the next one, or give up after the last."""
    db.session.rollback()  # whatever the failed attempt left half-done
    now = utcnow()
    mail.attempts += 1
    mail.last_error = error_text(error, mail)
    mail.claimed_until = None
    if mail.attempts >= int(current_app.config.get("MAIL_MAX_ATTEMPTS", 5)):
        mail.failed_at, mail.next_attempt_at = now, None
    else:
        mail.next_attempt_at = now + retry_delay(mail.attempts)
    db.session.commit()
    log.warning("mail %s not sent (attempt %s, %s)", mail.id, mail.attempts, type(error).__name__)


def failed_mails() -> list[OutboxMail]:
    return list(
        db.session.execute(
            select(OutboxMail)
            .where(OutboxMail.failed_at.is_not(None))
            .order_by(OutboxMail.failed_at.desc())
        ).scalars()
    )


def retry(mail: OutboxMail, actor) -> None:
    """Put a failed message back in the queue with fresh attempts (audited; caller commits)."""

    before = snapshot(mail, "attempts", "failed_at")
    mail.attempts, mail.failed_at, mail.next_attempt_at, mail.claimed_until = 0, None, None, None
    record(
        "mail.retry",
        actor,
        "mail",
        mail.id,
        before=before,
        after=snapshot(mail, "attempts", "failed_at"),
    )


def drop(mail: OutboxMail, actor) -> None:
    """Delete a failed message for good (audited; caller commits)."""

    record("mail.drop", actor, "mail", mail.id, before=snapshot(mail, "attempts", "failed_at"))
    db.session.delete(mail)


def failed_count() -> int:
    return db.session.execute(
        select(func.count(OutboxMail.id)).where(OutboxMail.failed_at.is_not(None))
    ).scalar_one()
