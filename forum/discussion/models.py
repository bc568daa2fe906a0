"""Public comments on a characteristic's thread, from members and guests."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.db import UTCDateTime, one_of_sql, utcnow
from forum.extensions import db


class CommentStatus(StrEnum):
    """A comment waits for review (PENDING) unless its author is trusted; public once APPROVED."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Comment(db.Model):
    """A comment; guests' and untrusted members' wait as ``pending`` for a moderator."""

    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_thread", "characteristic_id", "status", "id"),
        Index("ix_comments_status", "status", "id"),
        # A member's comments, newest first: their newest one is one index step, whatever the
        # planner guesses (a kept member page keys on it: ``forum.series.member_page``)
        Index("ix_comments_author_id", "author_id", "id"),
        # Covers a thread page's id window and count for every reader (the policy's columns are
        # in it), in id order: no table lookups and no sort, whatever the thread's size.
        Index(
            "ix_comments_thread_cover",
            "characteristic_id",
            "id",
            "status",
            "hidden_at",
            "deleted_at",
            "author_id",
        ),
        CheckConstraint(one_of_sql("status", CommentStatus), name="status"),  # ck_comments_status
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    characteristic_id: Mapped[int] = mapped_column(
        ForeignKey("characteristics.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    guest_name: Mapped[str | None] = mapped_column(String(80))
    guest_email: Mapped[str | None] = mapped_column(String(254))
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    body_format: Mapped[str] = mapped_column(String(40), default="markdown")
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=CommentStatus.PENDING)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the author's language when they wrote it (None: the site's default); search stems it so
    language: Mapped[str | None] = mapped_column(String(8))
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(lazy="raise_on_sql")
    reply_to: Mapped[Comment | None] = relationship(remote_side=[id], lazy="raise_on_sql")

    @property
    def display_author(self) -> str:
        return self.author.name if self.author_id and self.author else (self.guest_name or "Guest")


def public_comment_clause(Comment):
    """A comment everyone may see: approved, neither hidden nor deleted (``Comment`` is the model
    or an alias of it)."""
    return and_(
        Comment.status == CommentStatus.APPROVED,
        Comment.hidden_at.is_(None),
        Comment.deleted_at.is_(None),
    )
