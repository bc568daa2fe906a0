"""Supervisor guidance: a thread between one party and a supervisor, outside the space.

Pseudonymous by default: the supervisor sees "a mentor" or "a mentee" and the text, never who,
unless the requester signs. The other party is told that guidance was sought, and by which of
the two, never its content. Replies reach the requester in their pair space.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext
from sqlalchemy import func, or_, select

from forum.sdk import N_, User, ValidationError, bypass, can, db, utcnow
from forum_pair_spaces.models import GuidanceMessage, GuidanceRequest, MentorProfile, Pair
from forum_pair_spaces.services.common import (
    KIND,
    clean_text,
    log_event,
    notify_other,
    notify_user,
)
from forum_pair_spaces.statuses import PairStatus

ANY = "any"
SUPERVISOR_TEXT = N_("A guidance request is waiting for you")
REPLY_TEXT = N_("A mentoring supervisor replied to your guidance request")
ROLE_LABELS = {"mentor": N_("A mentor"), "mentee": N_("A mentee")}


def _declined_ids() -> set[int]:
    """Supervisors who said they take no requests (a flag read across profiles, nothing else)."""
    options = bypass("pair_spaces", "supervisor availability flag only")
    rows = db.session.execute(
        select(MentorProfile.user_id).where(MentorProfile.accepts_guidance.is_(False)),
        execution_options=options,
    )
    return set(rows.scalars())


def supervisors(pair: Pair) -> list[User]:
    """Supervisors who accept requests and are not part of this pair."""
    users = (
        db.session.execute(select(User).where(User.deleted_at.is_(None)).order_by(User.username))
        .scalars()
        .all()
    )
    declined = _declined_ids()
    return [
        u
        for u in users
        if can("pair_spaces.supervise", actor=u) and not pair.has_member(u) and u.id not in declined
    ]


def _least_busy(candidates: list[User]) -> User:
    """ "Any available": the supervisor with the fewest open requests (then the first by name)."""
    options = bypass("pair_spaces", "open-request counts per supervisor, no rows")
    rows = db.session.execute(
        select(GuidanceRequest.supervisor_id, func.count(GuidanceRequest.id))
        .where(GuidanceRequest.closed_at.is_(None))
        .group_by(GuidanceRequest.supervisor_id),
        execution_options=options,
    )
    load = {supervisor_id: count for supervisor_id, count in rows.all()}
    return min(candidates, key=lambda u: load.get(u.id, 0))


def _choose(pair: Pair, supervisor_name: str) -> User:
    candidates = supervisors(pair)
    if supervisor_name == ANY and candidates:
        return _least_busy(candidates)
    chosen = [u for u in candidates if u.username == supervisor_name]
    if not chosen:
        raise ValidationError(
            gettext(
                "Choose a mentoring supervisor who accepts requests and is not part of this pair."
            ),
            field="supervisor",
        )
    return chosen[0]


def requester_label(request: GuidanceRequest, viewer) -> str:
    """How the requester appears to ``viewer``: themselves, their name if signed, else a role."""
    if getattr(viewer, "id", None) == request.requester_id:
        return gettext("You")
    if request.signed:
        return request.requester.name
    return gettext(ROLE_LABELS.get(request.requester_role, N_("A member")))


def author_label(request: GuidanceRequest, message: GuidanceMessage, viewer) -> str:
    if message.author_id == request.requester_id:
        return requester_label(request, viewer)
    if getattr(viewer, "id", None) == request.supervisor_id:
        return "You"
    return request.supervisor.name


def threads_for(actor) -> list[GuidanceRequest]:
    """Every thread the actor may see (the visibility policy limits it to their own)."""
    return (
        db.session.execute(
            select(GuidanceRequest)
            .where(
                or_(
                    GuidanceRequest.requester_id == actor.id,
                    GuidanceRequest.supervisor_id == actor.id,
                )
            )
            .order_by(GuidanceRequest.id.desc())
        )
        .scalars()
        .all()
    )


def requests_of(pair: Pair) -> list[GuidanceRequest]:
    return (
        db.session.execute(
            select(GuidanceRequest)
            .where(GuidanceRequest.pair_id == pair.id)
            .order_by(GuidanceRequest.id.desc())
        )
        .scalars()
        .all()
    )


def messages(request: GuidanceRequest) -> list[GuidanceMessage]:
    return (
        db.session.execute(
            select(GuidanceMessage)
            .where(GuidanceMessage.request_id == request.id)
            .order_by(GuidanceMessage.id)
        )
        .scalars()
        .all()
    )


def _url(request: GuidanceRequest) -> str:
    return url_for("pair_spaces.guidance_thread", request_id=request.id)


def ask(
    pair: Pair, actor, supervisor_name: str, body: str, signed: bool = False
) -> GuidanceRequest:
    if pair.status != PairStatus.ACTIVE:
        raise ValidationError(gettext("This pair has ended."))
    supervisor = _choose(pair, supervisor_name)
    body = clean_text(body, "body")
    request = GuidanceRequest(
        pair_id=pair.id,
        requester_id=actor.id,
        supervisor_id=supervisor.id,
        requester_role=pair.role_of(actor),
        signed=bool(signed),
        created_at=utcnow(),
    )
    db.session.add(request)
    db.session.flush()
    db.session.add(
        GuidanceMessage(request_id=request.id, author_id=actor.id, body=body, created_at=utcnow())
    )
    log_event(pair, actor, "guidance_sought")  # the other party learns that, and only that
    notify_other(pair, actor)
    notify_user(supervisor.id, _url(request), SUPERVISOR_TEXT, KIND)  # no name, no pair
    return request


def reply(request: GuidanceRequest, actor, body: str) -> GuidanceMessage:
    if actor.id not in (request.requester_id, request.supervisor_id):
        raise ValidationError(gettext("You are not part of this thread."))
    message = GuidanceMessage(
        request_id=request.id,
        author_id=actor.id,
        body=clean_text(body, "body"),
        created_at=utcnow(),
    )
    db.session.add(message)
    if actor.id == request.requester_id:
        notify_user(request.supervisor_id, _url(request), SUPERVISOR_TEXT, KIND)
    else:  # the requester reads the reply in their pair space
        space = url_for("pair_spaces.ask_guidance", pair_id=request.pair_id)
        notify_user(request.requester_id, f"{space}#guidance-{request.id}", REPLY_TEXT, KIND)
    return message


def close(request: GuidanceRequest, actor) -> None:
    """Either side marks the thread answered; it then no longer counts as open."""
    if actor.id not in (request.requester_id, request.supervisor_id):
        raise ValidationError(gettext("You are not part of this thread."))
    request.closed_at = request.closed_at or utcnow()
