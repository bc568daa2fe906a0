"""The series: characteristics, their prompt questions, expert parts with revisions, invitations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.db import UTCDateTime, one_of_sql, utcnow
from forum.extensions import db


class PartStatus(StrEnum):
    """Where a part is in review; it is public once APPROVED and its ``publish_at`` has passed."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class RevisionStatus(StrEnum):
    """SAVED: a version of a part not yet live; PENDING: an edit of a live part awaiting review."""

    SAVED = "saved"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Series(db.Model):
    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    characteristics: Mapped[list[Characteristic]] = relationship(
        back_populates="series", order_by="Characteristic.number", lazy="raise_on_sql"
    )


class Characteristic(db.Model):
    """A numbered characteristic ("KMC 1) Confidentiality") with its one public thread."""

    __tablename__ = "characteristics"
    __table_args__ = (UniqueConstraint("series_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    definition_md: Mapped[str] = mapped_column(Text, default="")
    definition_html: Mapped[str] = mapped_column(Text, default="")
    locked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    series: Mapped[Series] = relationship(back_populates="characteristics", lazy="raise_on_sql")
    prompts: Mapped[list[PromptQuestion]] = relationship(
        order_by="PromptQuestion.position", cascade="all, delete-orphan", lazy="raise_on_sql"
    )


class PromptQuestion(db.Model):
    __tablename__ = "prompt_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    characteristic_id: Mapped[int] = mapped_column(
        ForeignKey("characteristics.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)


class ExpertProfile(db.Model):
    """Public card of an invited expert: bio, organisation, country, website."""

    __tablename__ = "expert_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    bio_md: Mapped[str] = mapped_column(Text, default="")
    bio_html: Mapped[str] = mapped_column(Text, default="")
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    is_demo: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(lazy="raise_on_sql")


class Part(db.Model):
    """An expert post: one numbered part of a characteristic's thread.

    Public once ``PartStatus.APPROVED`` and ``publish_at`` has passed (computed on read, no cron).
    """

    __tablename__ = "parts"
    __table_args__ = (
        Index("ix_parts_thread", "characteristic_id", "status", "publish_at"),
        CheckConstraint(one_of_sql("status", PartStatus), name="status"),  # ck_parts_status
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    characteristic_id: Mapped[int] = mapped_column(
        ForeignKey("characteristics.id", ondelete="CASCADE")
    )
    part_number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    teaser: Mapped[str] = mapped_column(String(500), default="")
    body_format: Mapped[str] = mapped_column(String(40), default="markdown")
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=PartStatus.DRAFT)
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the language the expert wrote in (en, fi, fr): shown on the page, used to stem it in search
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When ``content_published`` was emitted (at approval, or by ``flask forum publish-due``).
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    characteristic: Mapped[Characteristic] = relationship(lazy="raise_on_sql")
    author: Mapped[User] = relationship(lazy="raise_on_sql")

    def is_live(self, now: datetime | None = None) -> bool:
        """Public right now: approved, its publish time passed, not hidden or deleted."""
        now = now or utcnow()
        return (
            self.status == PartStatus.APPROVED
            and self.publish_at is not None
            and self.publish_at <= now
            and self.hidden_at is None
            and self.deleted_at is None
        )

    @property
    def stage(self) -> str:
        """Calendar wording: planned, draft, submitted, rejected, approved, scheduled or live."""
        if self.status == PartStatus.DRAFT:
            return "planned" if not (self.body_source or "").strip() else "draft"
        if self.status != PartStatus.APPROVED:
            return self.status
        if self.publish_at is None:
            return "approved"
        return "live" if self.is_live() else "scheduled"


class PartRevision(db.Model):
    """Every version of a part; an edit of a live part waits here until a moderator approves it."""

    __tablename__ = "part_revisions"
    __table_args__ = (
        CheckConstraint(
            one_of_sql("status", RevisionStatus), name="status"
        ),  # ck_part_revisions_status
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    teaser: Mapped[str] = mapped_column(String(500), default="")
    body_format: Mapped[str] = mapped_column(String(40), default="markdown")
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: saved (a version of a part not yet live), pending (an edit of a live part), approved, rejected
    status: Mapped[str] = mapped_column(String(20), default=RevisionStatus.PENDING)
    reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    part: Mapped[Part] = relationship(lazy="raise_on_sql")


class Invitation(db.Model):
    """A single-use, expiring invitation; only the token's hash is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(40), default="expert")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    characteristic_id: Mapped[int | None] = mapped_column(ForeignKey("characteristics.id"))
    part_number: Mapped[int | None] = mapped_column()
    planned_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def public_part_clause(Part):
    """A part everyone may see: approved, published by now, neither hidden nor deleted (``Part``
    is the model or an alias of it)."""
    return and_(
        Part.status == PartStatus.APPROVED,
        Part.publish_at.is_not(None),
        Part.publish_at <= utcnow(),
        Part.hidden_at.is_(None),
        Part.deleted_at.is_(None),
    )
