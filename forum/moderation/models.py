"""Members' flags on parts and comments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import UTCDateTime, utcnow
from forum.extensions import db

FLAG_REASONS = ("spam", "abusive", "off-topic", "private information")


class Flag(db.Model):
    """A member's flag on a part or comment; one per member and target."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("target_type", "target_id", "user_id"),
        Index("ix_flags_open", "resolved_at", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(40))
