"""Leaving: export what a member may see, ask to delete, delete (audited without content)."""

from __future__ import annotations

import json
from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import delete, or_, select

from forum.sdk import ValidationError, audit_record, db, get_setting, utcnow
from forum_pair_spaces.models import (
    SPACE_MODELS,
    GuidanceMessage,
    GuidanceRequest,
    Pair,
)
from forum_pair_spaces.services import agreement, concerns, guidance, quotes, space
from forum_pair_spaces.statuses import PairStatus

DELETE_AFTER_KEY = "pair_spaces.delete_after_days"


def _iso(dt) -> str | None:
    return dt.isoformat(timespec="seconds") if dt else None


def export(pair: Pair, actor) -> dict:
    """Everything ``actor`` may see of the space. Every query passes the visibility policy, so
    the other party's journal and guidance threads are simply not there."""
    names = {pair.mentor_id: pair.mentor.username, pair.mentee_id: pair.mentee.username}

    def who(user_id):
        return names.get(user_id, "supervisor" if user_id else None)

    data = {
        "pair": {
            "id": pair.id,
            "mentor": pair.mentor.username,
            "mentee": pair.mentee.username,
            "status": pair.status,
            "formed_at": _iso(pair.formed_at),
            "ended_at": _iso(pair.ended_at),
        },
        "exported_by": actor.username,
        "exported_at": _iso(utcnow()),
        "agreement_versions": [
            {
                "number": v.number,
                "sections": agreement.sections_of(v),
                "mentor_accepted_at": _iso(v.mentor_accepted_at),
                "mentee_accepted_at": _iso(v.mentee_accepted_at),
            }
            for v in agreement.versions(pair)
        ],
        "messages": [
            {
                "author": who(m.author_id),
                "at": _iso(m.created_at),
                "body": m.body_source,
                "role_play": m.roleplay_id is not None,
                "deleted": m.deleted_at is not None,
            }
            for m in space.messages(pair)
        ],
        "notes": [
            {"title": n.title, "body": n.body_source, "updated_at": _iso(n.updated_at)}
            for n in space.notes(pair)
        ],
        "proposal": {"message": pair.proposal_message, "created_at": _iso(pair.created_at)},
        "goals": [{"title": g.title, "status": g.status} for g in space.goals(pair)],
        "meetings": [
            {"held_at": _iso(m.held_at), "summary": m.summary} for m in space.meetings(pair)
        ],
        "journal": [{"at": _iso(j.created_at), "body": j.body_source} for j in space.journal(pair)],
        "concerns": [
            {
                "raised_by": who(c.raised_by_id),
                "issue": c.issue,
                "responsibilities": c.responsibilities,
                "proposal": c.proposal,
                "immediate_danger": c.immediate_danger,
                "status": c.status,
                "responses": [
                    {"by": who(r.author_id), "kind": r.kind, "body": r.body}
                    for r in concerns.responses(c)
                ],
                "notices": [
                    {
                        "by": who(n.author_id),
                        "what": n.what,
                        "to_whom": n.to_whom,
                        "disclose_on": _iso(n.disclose_on),
                        "seen_by_other_at": _iso(n.seen_by_other_at),
                    }
                    for n in concerns.notices(c)
                ],
            }
            for c in concerns.concerns(pair)
        ],
        "guidance": [
            {
                "supervisor": r.supervisor.username,
                "asked_at": _iso(r.created_at),
                "asked_as": r.requester_role,
                "signed": r.signed,
                "answered_at": _iso(r.closed_at),
                "messages": [
                    {"by": who(m.author_id), "at": _iso(m.created_at), "body": m.body}
                    for m in guidance.messages(r)
                ],
            }
            for r in guidance.requests_of(pair)
        ],
        "quotes": [
            {"by": who(q.requester_id), "text": q.text, "purpose": q.purpose, "status": q.status}
            for q in quotes.quotes(pair)
        ],
    }
    return data


def export_json(pair: Pair, actor) -> str:
    return json.dumps(export(pair, actor), indent=2, ensure_ascii=False)


def request_delete(pair: Pair, actor) -> bool:
    """Ask to delete the ended pair's space; returns True when it was deleted now (both asked)."""
    if pair.status != PairStatus.ENDED:
        raise ValidationError(gettext("End the pair before asking to delete its space."))
    now = utcnow()
    if actor.id == pair.mentor_id:
        pair.mentor_delete_requested_at = pair.mentor_delete_requested_at or now
    else:
        pair.mentee_delete_requested_at = pair.mentee_delete_requested_at or now
    if pair.mentor_delete_requested_at and pair.mentee_delete_requested_at:
        delete_space(pair, actor, "both members asked")
        return True
    return False


def delete_space(pair: Pair, actor, reason: str) -> None:
    """Remove every row of the space; the audit entry names the pair and the reason, no content."""
    request_ids = select(GuidanceRequest.id).where(GuidanceRequest.pair_id == pair.id)
    db.session.execute(delete(GuidanceMessage).where(GuidanceMessage.request_id.in_(request_ids)))
    db.session.execute(delete(GuidanceRequest).where(GuidanceRequest.pair_id == pair.id))
    for model in SPACE_MODELS:
        db.session.execute(delete(model).where(model.pair_id == pair.id))
    before = {"status": pair.status, "space_deleted_at": None}
    pair.space_deleted_at = utcnow()
    audit_record(
        "pair_space.deleted",
        actor,
        "pair",
        pair.id,
        reason=reason,
        before=before,
        after={"status": pair.status, "space_deleted_at": _iso(pair.space_deleted_at)},
    )


def purge_expired(now=None) -> list[int]:
    """Delete spaces whose pair ended the set number of days ago and that one member asked to
    delete (both asking deletes at once). Run by ``flask forum pair-spaces purge``."""
    now = now or utcnow()
    cutoff = now - timedelta(days=int(get_setting(DELETE_AFTER_KEY, 90)))
    due = (
        db.session.execute(
            select(Pair).where(
                Pair.status == PairStatus.ENDED,
                Pair.space_deleted_at.is_(None),
                Pair.ended_at <= cutoff,
                or_(
                    Pair.mentor_delete_requested_at.is_not(None),
                    Pair.mentee_delete_requested_at.is_not(None),
                ),
            )
        )
        .scalars()
        .all()
    )
    for pair in due:
        delete_space(pair, None, "retention period after the pair ended")
    return [p.id for p in due]
