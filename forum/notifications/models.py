"""In-app notifications, watches and the e-mail outbox. Texts never carry private content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import UTCDateTime, utcnow
from forum.extensions import db
from forum.kernel.locales import N_
from forum.mail.models import OutboxMail as OutboxMail  # the outbox is a primitive below


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


#: what a watch covers, as the member reads it (``_(label)`` where shown)
WATCH_SCOPES = {"parts": N_("New parts only"), "all": N_("New parts and new comments")}


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
