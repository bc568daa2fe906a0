"""In-app notifications, watches and the e-mail outbox. Texts never carry private content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import UTCDateTime, utcnow
from forum.extensions import db


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_inbox", "user_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


WATCH_SCOPES = {"parts": "New parts only", "all": "New parts and new comments"}


class MemberThreadKey:
    """The key of a row about one member and one thread (a watch, a read position)."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    characteristic_id: Mapped[int] = mapped_column(
        ForeignKey("characteristics.id", ondelete="CASCADE"), primary_key=True
    )


class Watch(MemberThreadKey, db.Model):
    """A member watching a characteristic: for new parts, or (``scope`` "all") comments too."""

    __tablename__ = "watches"

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    scope: Mapped[str] = mapped_column(String(10), default="parts", server_default="parts")


class ThreadRead(MemberThreadKey, db.Model):
    """How far a member has read a thread's comments: the highest comment id they were shown."""

    __tablename__ = "thread_reads"

    last_comment_id: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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


class MailOptOut(db.Model):
    """A member who wants no notification e-mail (the in-app inbox still fills)."""

    __tablename__ = "mail_optouts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


MAIL_MODES = {"immediate": "Immediately", "digest": "Daily digest", "off": "Off"}


class MailPreference(db.Model):
    """How a member wants one notification kind by e-mail; no row means the kind's default."""

    __tablename__ = "mail_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(60), primary_key=True)
    mode: Mapped[str] = mapped_column(String(10))


class DigestItem(db.Model):
    """A notice waiting for the member's daily digest e-mail (content-free, like the notice)."""

    __tablename__ = "mail_digest_items"
    __table_args__ = (Index("ix_mail_digest_items_user", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
