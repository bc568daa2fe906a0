"""Supervisor guidance: a thread between one party and a supervisor, outside the space.

The supervisor sees only that thread; the other party is told that guidance was sought.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import or_, select

from forum.sdk import User, ValidationError, can, db, utcnow
from forum_pair_spaces.models import GuidanceMessage, GuidanceRequest, Pair
from forum_pair_spaces.services.common import clean_text, log_event, notify_other, notify_user
from forum_pair_spaces.services.pairing import find_user


def supervisors(pair: Pair) -> list[User]:
    users = (
        db.session.execute(select(User).where(User.deleted_at.is_(None)).order_by(User.username))
        .scalars()
        .all()
    )
    return [u for u in users if can("pair_spaces.supervise", actor=u) and not pair.has_member(u)]


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


def ask(pair: Pair, actor, supervisor_name: str, body: str) -> GuidanceRequest:
    if pair.status != "active":
        raise ValidationError("This pair has ended.")
    supervisor = find_user(supervisor_name)
    if not can("pair_spaces.supervise", actor=supervisor) or pair.has_member(supervisor):
        raise ValidationError(
            "Choose a mentoring supervisor who is not part of this pair.", field="supervisor"
        )
    body = clean_text(body, "Request")
    request = GuidanceRequest(
        pair_id=pair.id, requester_id=actor.id, supervisor_id=supervisor.id, created_at=utcnow()
    )
    db.session.add(request)
    db.session.flush()
    db.session.add(
        GuidanceMessage(request_id=request.id, author_id=actor.id, body=body, created_at=utcnow())
    )
    log_event(pair, actor, "guidance_sought")  # the other party learns that, and only that
    notify_other(pair, actor)
    notify_user(supervisor.id, _url(request))
    return request


def reply(request: GuidanceRequest, actor, body: str) -> GuidanceMessage:
    if actor.id not in (request.requester_id, request.supervisor_id):
        raise ValidationError("You are not part of this thread.")
    message = GuidanceMessage(
        request_id=request.id,
        author_id=actor.id,
        body=clean_text(body, "Reply"),
        created_at=utcnow(),
    )
    db.session.add(message)
    other = request.supervisor_id if actor.id == request.requester_id else request.requester_id
    notify_user(other, _url(request))
    return message
