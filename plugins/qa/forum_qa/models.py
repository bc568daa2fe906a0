"""Questions asked under a characteristic, their answers, and one vote per member per answer."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.sdk import User, UTCDateTime, db, one_of_sql, utcnow


class QAStatus(StrEnum):
    """Where a question or answer is in review: public once APPROVED (and not hidden or deleted)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


STATUSES = tuple(QAStatus)
#: The database refuses any other status (ck_qa_questions_status, ck_qa_answers_status)
STATUS_CHECK = one_of_sql("status", QAStatus)


class Question(db.Model):
    """A member's question; untrusted members' wait as ``pending`` for a moderator."""

    __tablename__ = "qa_questions"
    __table_args__ = (
        Index("ix_qa_questions_listing", "characteristic_id", "status", "id"),
        CheckConstraint(STATUS_CHECK, name="status"),  # ck_qa_questions_status,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    characteristic_id: Mapped[int] = mapped_column(
        ForeignKey("characteristics.id", ondelete="CASCADE")
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=QAStatus.PENDING)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship(lazy="raise_on_sql")


class Answer(db.Model):
    """An answer; ``score`` is the sum of its votes, kept in step by ``services.vote``."""

    __tablename__ = "qa_answers"
    __table_args__ = (
        Index("ix_qa_answers_question", "question_id", "status", "score"),
        CheckConstraint(STATUS_CHECK, name="status"),  # ck_qa_answers_status,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("qa_questions.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=QAStatus.PENDING)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    score: Mapped[int] = mapped_column(default=0)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship(lazy="raise_on_sql")
    question: Mapped[Question] = relationship(lazy="raise_on_sql")


class AnswerVote(db.Model):
    """One member's vote on one answer: +1 or -1 (the primary key forbids a second row)."""

    __tablename__ = "qa_answer_votes"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("qa_answers.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
