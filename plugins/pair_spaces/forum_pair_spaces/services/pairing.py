"""Forming and ending pairs: a pair forms only when both have accepted; either may end it."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext
from sqlalchemy import or_, select

from forum.sdk import User, ValidationError, db, utcnow
from forum_pair_spaces.models import Pair
from forum_pair_spaces.services import agreement, mentoring
from forum_pair_spaces.services.common import clean_text, log_event, notify_other, notify_user
from forum_pair_spaces.statuses import PairStatus

OPEN_STATUSES = (PairStatus.PROPOSED, PairStatus.ACTIVE)


def find_user(username: str) -> User:
    key = (username or "").strip().lower()
    user = db.session.execute(
        select(User).where(User.username_key == key, User.deleted_at.is_(None))
    ).scalar_one_or_none()
    if user is None:
        raise ValidationError(gettext("There is no member with that username."), field="username")
    return user


def propose(actor, other: User, actor_role: str, message: str = "") -> Pair:
    """``actor`` invites ``other`` (actor is mentor) or asks ``other`` (actor is mentee).

    The daily proposal limit and a mentor's availability are checked here, so every way of
    proposing obeys them.
    """
    if actor_role not in ("mentor", "mentee"):
        raise ValidationError(gettext("Choose mentor or mentee."), field="role")
    if other.id == actor.id:
        raise ValidationError(gettext("You cannot pair with yourself."), field="username")
    mentoring.check_proposal_limit(actor)
    mentor, mentee = (actor, other) if actor_role == "mentor" else (other, actor)
    if actor_role == "mentee":
        mentoring.check_mentor_open(mentor)
    existing = db.session.execute(
        select(Pair.id).where(
            Pair.mentor_id == mentor.id, Pair.mentee_id == mentee.id, Pair.status.in_(OPEN_STATUSES)
        )
    ).first()
    if existing:
        raise ValidationError(
            gettext("These two already have an open or proposed pair."), field="username"
        )
    now = utcnow()
    pair = Pair(
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        initiated_by_id=actor.id,
        status=PairStatus.PROPOSED,
        created_at=now,
        proposal_message=clean_text(message, "message", required=False, limit=1000) or None,
    )
    if actor_role == "mentor":
        pair.mentor_accepted_at = now
    else:
        pair.mentee_accepted_at = now
    db.session.add(pair)
    db.session.flush()
    notify_user(other.id, url_for("pair_spaces.mine"))
    return pair


def accept(pair: Pair, actor) -> Pair:
    """The invited party accepts; the pair forms and its first agreement version is drafted."""
    if pair.status != PairStatus.PROPOSED or not pair.has_member(actor):
        raise ValidationError(gettext("This proposal is no longer open."))
    now = utcnow()
    field = "mentor_accepted_at" if actor.id == pair.mentor_id else "mentee_accepted_at"
    if getattr(pair, field) is not None:
        raise ValidationError(
            gettext("You have accepted already; the other party must accept too.")
        )
    setattr(pair, field, now)
    if pair.mentor_accepted_at and pair.mentee_accepted_at:
        pair.status = PairStatus.ACTIVE
        pair.formed_at = now
        db.session.flush()
        log_event(pair, actor, "formed")
        agreement.start(pair)
        notify_user(pair.other_id(actor), url_for("pair_spaces.agreement", pair_id=pair.id))
    return pair


def decline(pair: Pair, actor, reason: str = "") -> Pair:
    """Either party withdraws or declines a proposal that has not formed yet.

    The invited member may give a reason; it reaches the proposer by notification.
    """
    if pair.status != PairStatus.PROPOSED or not pair.has_member(actor):
        raise ValidationError(gettext("This proposal is no longer open."))
    pair.status = PairStatus.DECLINED
    pair.ended_at = utcnow()
    pair.ended_by_id = actor.id
    if actor.id != pair.initiated_by_id:
        mentoring.decline_with_reason(pair, reason)
    return pair


def end(pair: Pair, actor) -> Pair:
    if pair.status != PairStatus.ACTIVE:
        raise ValidationError(gettext("This pair is not active."))
    pair.status = PairStatus.ENDED
    pair.ended_at = utcnow()
    pair.ended_by_id = actor.id
    log_event(pair, actor, "ended")
    notify_other(pair, actor)
    return pair


def directory(page: int, per_page: int = 50):
    """Formed pairs, newest first: the public fact that they exist, nothing else."""
    stmt = (
        select(Pair)
        .where(Pair.status.in_((PairStatus.ACTIVE, PairStatus.ENDED)))
        .order_by(Pair.formed_at.desc(), Pair.id.desc())
    )
    return db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars().all()


def pairs_of(user, statuses=(PairStatus.ACTIVE, PairStatus.ENDED)) -> list[Pair]:
    return (
        db.session.execute(
            select(Pair)
            .where(
                or_(Pair.mentor_id == user.id, Pair.mentee_id == user.id), Pair.status.in_(statuses)
            )
            .order_by(Pair.id.desc())
        )
        .scalars()
        .all()
    )
