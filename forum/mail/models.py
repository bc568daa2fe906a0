"""The outbox table: every e-mail waits here until ``flask forum send-mail`` delivers it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import UTCDateTime, utcnow
from forum.extensions import db


class OutboxMail(db.Model):
    """An e-mail waiting to be sent; nothing is lost without a mail server.

    A sender claims a row by moving ``claimed_until`` forward, so two senders never send it
    twice; a failed attempt moves ``next_attempt_at`` (exponential back-off) and, after
    ``MAIL_MAX_ATTEMPTS``, sets ``failed_at`` and leaves it for an admin (``/admin/mail``).
    ``kind`` names the notification kind, empty for account mail (password resets).
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "sent_at", "failed_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(60), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="", server_default="")
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
