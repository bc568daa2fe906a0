"""Pair-space tables. Only ``Pair`` is public (who, since when, active or ended); every text a
member writes is stored sealed (``forum.crypto.EncryptedText``), so a database copy shows none."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.sdk import EncryptedText, User, UTCDateTime, db, utcnow
from forum_pair_spaces.statuses import (
    Availability,
    ConcernStatus,
    GoalStatus,
    PairStatus,
    QuoteStatus,
    check,
)

RING = "pair"


def sealed(purpose: str) -> EncryptedText:
    """A sealed text column bound to ``purpose`` (its AEAD associated data)."""
    return EncryptedText(RING, f"pair_spaces.{purpose}")


def _pair_fk():
    return mapped_column(ForeignKey("pair_pairs.id", ondelete="CASCADE"), index=True)


def _user_fk(nullable: bool = False):
    return mapped_column(
        ForeignKey("users.id", ondelete="SET NULL" if nullable else "CASCADE"), nullable=nullable
    )


class Pair(db.Model):
    """A mentor and a mentee. Proposed until both accept; then active; then ended."""

    __tablename__ = "pair_pairs"
    __table_args__ = (check("pair_pairs", "status", PairStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = _user_fk()
    mentee_id: Mapped[int] = _user_fk()
    initiated_by_id: Mapped[int] = _user_fk()
    status: Mapped[str] = mapped_column(String(20), default=PairStatus.PROPOSED)
    mentor_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mentee_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    formed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = _user_fk(nullable=True)
    mentor_delete_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mentee_delete_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    space_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The proposer's short message and a decliner's optional reason: for the two of them only.
    proposal_message: Mapped[str | None] = mapped_column(sealed("proposal.message"))
    decline_reason: Mapped[str | None] = mapped_column(sealed("proposal.reason"))

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="joined")
    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id], lazy="joined")

    def has_member(self, user) -> bool:
        uid = getattr(user, "id", None)
        return uid is not None and uid in (self.mentor_id, self.mentee_id)

    def role_of(self, user) -> str:
        return "mentor" if getattr(user, "id", None) == self.mentor_id else "mentee"

    def other_id(self, user) -> int:
        return self.mentee_id if user.id == self.mentor_id else self.mentor_id

    def other(self, user) -> User:
        return self.mentee if user.id == self.mentor_id else self.mentor

    @property
    def is_formed(self) -> bool:
        return self.status in (PairStatus.ACTIVE, PairStatus.ENDED)


class SpaceEvent(db.Model):
    """A content-free line in the space's timeline ("guidance was sought", "agreement changed")."""

    __tablename__ = "pair_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    actor_id: Mapped[int | None] = _user_fk(nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="joined")


class AgreementVersion(db.Model):
    """One version of the confidentiality agreement; in force once both have accepted it."""

    __tablename__ = "pair_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    number: Mapped[int] = mapped_column(Integer)
    sections: Mapped[str] = mapped_column(sealed("agreement.sections"))  # JSON
    proposed_by_id: Mapped[int | None] = _user_fk(nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    mentor_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mentee_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def accepted(self) -> bool:
        return self.mentor_accepted_at is not None and self.mentee_accepted_at is not None


class RolePlay(db.Model):
    """A stretch of the conversation in which mentor and mentee swap roles."""

    __tablename__ = "pair_roleplays"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    started_by_id: Mapped[int] = _user_fk()
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Message(db.Model):
    __tablename__ = "pair_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    author_id: Mapped[int] = _user_fk()
    roleplay_id: Mapped[int | None] = mapped_column(
        ForeignKey("pair_roleplays.id", ondelete="SET NULL")
    )
    body_source: Mapped[str] = mapped_column(sealed("message.source"))
    body_html: Mapped[str] = mapped_column(sealed("message.html"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship(lazy="joined")


class Note(db.Model):
    """A shared note both members may edit."""

    __tablename__ = "pair_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    author_id: Mapped[int] = _user_fk()
    title: Mapped[str] = mapped_column(sealed("note.title"))
    body_source: Mapped[str] = mapped_column(sealed("note.source"))
    body_html: Mapped[str] = mapped_column(sealed("note.html"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Goal(db.Model):
    __tablename__ = "pair_goals"
    __table_args__ = (check("pair_goals", "status", GoalStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    author_id: Mapped[int] = _user_fk()
    title: Mapped[str] = mapped_column(sealed("goal.title"))
    status: Mapped[str] = mapped_column(String(20), default=GoalStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Meeting(db.Model):
    __tablename__ = "pair_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    author_id: Mapped[int] = _user_fk()
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(sealed("meeting.summary"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JournalEntry(db.Model):
    """A party's private journal entry: even the other member never sees it."""

    __tablename__ = "pair_journal"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    owner_id: Mapped[int] = _user_fk()
    body_source: Mapped[str] = mapped_column(sealed("journal.source"))
    body_html: Mapped[str] = mapped_column(sealed("journal.html"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Concern(db.Model):
    """A party believes confidentiality must be broken: raised inside the space, never outside."""

    __tablename__ = "pair_concerns"
    __table_args__ = (check("pair_concerns", "status", ConcernStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    raised_by_id: Mapped[int] = _user_fk()
    issue: Mapped[str] = mapped_column(sealed("concern.issue"))
    responsibilities: Mapped[str] = mapped_column(sealed("concern.responsibilities"))
    proposal: Mapped[str] = mapped_column(sealed("concern.proposal"))
    immediate_danger: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=ConcernStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_by_other_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    raised_by: Mapped[User] = relationship(lazy="joined")


class ConcernResponse(db.Model):
    __tablename__ = "pair_concern_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    concern_id: Mapped[int] = mapped_column(
        ForeignKey("pair_concerns.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = _user_fk()
    kind: Mapped[str] = mapped_column(String(20))  # agree/propose/refuse
    body: Mapped[str] = mapped_column(sealed("concern_response.body"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")


class DisclosureNotice(db.Model):
    """What the discloser will say, to whom and when; the other party is shown it first."""

    __tablename__ = "pair_disclosure_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    concern_id: Mapped[int] = mapped_column(
        ForeignKey("pair_concerns.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = _user_fk()
    what: Mapped[str] = mapped_column(sealed("notice.what"))
    to_whom: Mapped[str] = mapped_column(sealed("notice.to_whom"))
    disclose_on: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_by_other_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship(lazy="joined")

    @property
    def effective_from(self) -> datetime | None:
        """Not before the planned date, and never before the other party has seen it."""
        if self.seen_by_other_at is None:
            return None
        return max(self.disclose_on, self.seen_by_other_at)


class GuidanceRequest(db.Model):
    """A thread between one party and a supervisor; the supervisor never sees the space."""

    __tablename__ = "pair_guidance_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    requester_id: Mapped[int] = _user_fk()
    supervisor_id: Mapped[int] = _user_fk()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Pseudonymous unless the requester signs: the supervisor then sees only this role.
    requester_role: Mapped[str] = mapped_column(String(10), default="mentor")
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requester: Mapped[User] = relationship(foreign_keys=[requester_id], lazy="joined")
    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id], lazy="joined")


class GuidanceMessage(db.Model):
    __tablename__ = "pair_guidance_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("pair_guidance_requests.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = _user_fk()
    body: Mapped[str] = mapped_column(sealed("guidance.body"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")


class QuoteRequest(db.Model):
    """Consent to quote an exact text outside the space; the other party decides."""

    __tablename__ = "pair_quote_requests"
    __table_args__ = (check("pair_quote_requests", "status", QuoteStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = _pair_fk()
    requester_id: Mapped[int] = _user_fk()
    text: Mapped[str] = mapped_column(sealed("quote.text"))
    purpose: Mapped[str] = mapped_column(sealed("quote.purpose"))
    status: Mapped[str] = mapped_column(String(20), default=QuoteStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requester: Mapped[User] = relationship(lazy="joined")


class MentorProfile(db.Model):
    """A member's opt-in mentoring card; public only while ``published`` is true."""

    __tablename__ = "pair_mentor_profiles"
    __table_args__ = (check("pair_mentor_profiles", "availability", Availability),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True, index=True
    )
    published: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    offers: Mapped[bool] = mapped_column(Boolean, default=False)
    seeks: Mapped[bool] = mapped_column(Boolean, default=False)
    areas: Mapped[str] = mapped_column(String(400), default="")  # ",tag,tag," for exact matching
    languages: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(60), default="")
    time_zone: Mapped[str] = mapped_column(String(60), default="")
    availability: Mapped[str] = mapped_column(String(10), default=Availability.OPEN)
    introduction: Mapped[str] = mapped_column(Text, default="")
    introduction_html: Mapped[str] = mapped_column(Text, default="")  # render_markdown output
    max_active_pairs: Mapped[int] = mapped_column(Integer, default=3)
    accepts_guidance: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


#: Every model that holds space content, in deletion/export order (children first).
SPACE_MODELS = (
    SpaceEvent,
    AgreementVersion,
    Message,
    RolePlay,
    Note,
    Goal,
    Meeting,
    JournalEntry,
    DisclosureNotice,
    ConcernResponse,
    Concern,
    QuoteRequest,
)
