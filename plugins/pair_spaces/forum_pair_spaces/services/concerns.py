"""Disclosure without surprise: concerns, answers, and disclosure notices the other sees first.

The software never contacts the third party; it only keeps the record inside the space.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import url_for
from flask_babel import format_date, gettext
from sqlalchemy import select

from forum.sdk import ValidationError, db, get_setting, utcnow
from forum_pair_spaces.models import Concern, ConcernResponse, DisclosureNotice, Pair
from forum_pair_spaces.services.common import (
    CONCERN_TEXT,
    NOTICE_TEXT,
    clean_text,
    log_event,
    notify_other,
    require_active,
)
from forum_pair_spaces.statuses import ConcernStatus

RESPONSE_STATUS = {
    "agree": ConcernStatus.AGREED,
    "propose": ConcernStatus.COUNTERED,
    "refuse": ConcernStatus.REFUSED,
}
NOTICE_DAYS_KEY = "pair_spaces.notice_min_days"


def concerns(pair: Pair) -> list[Concern]:
    return (
        db.session.execute(
            select(Concern).where(Concern.pair_id == pair.id).order_by(Concern.id.desc())
        )
        .scalars()
        .all()
    )


def get(pair: Pair, concern_id: int) -> Concern | None:
    concern = db.session.get(Concern, concern_id)
    return concern if concern is not None and concern.pair_id == pair.id else None


def responses(concern: Concern) -> list[ConcernResponse]:
    return (
        db.session.execute(
            select(ConcernResponse)
            .where(ConcernResponse.concern_id == concern.id)
            .order_by(ConcernResponse.id)
        )
        .scalars()
        .all()
    )


def notices(concern: Concern) -> list[DisclosureNotice]:
    return (
        db.session.execute(
            select(DisclosureNotice)
            .where(DisclosureNotice.concern_id == concern.id)
            .order_by(DisclosureNotice.id)
        )
        .scalars()
        .all()
    )


def _url(pair: Pair, concern: Concern) -> str:
    return url_for("pair_spaces.concern", pair_id=pair.id, concern_id=concern.id)


def raise_concern(
    pair: Pair,
    actor,
    issue: str,
    responsibilities: str,
    proposal: str,
    immediate_danger: bool = False,
) -> Concern:
    require_active(pair)
    concern = Concern(
        pair_id=pair.id,
        raised_by_id=actor.id,
        issue=clean_text(issue, "Ethical issue"),
        responsibilities=clean_text(responsibilities, "Responsibilities"),
        proposal=clean_text(proposal, "Proposal"),
        immediate_danger=bool(immediate_danger),
        status="open",
        created_at=utcnow(),
    )
    db.session.add(concern)
    db.session.flush()
    log_event(pair, actor, "concern_raised")
    notify_other(pair, actor, _url(pair, concern), CONCERN_TEXT)
    return concern


def written_by_other(concern: Concern, concern_notices: list[DisclosureNotice], actor) -> list:
    """The concern and notices here that ``actor`` did not write: what they are to be shown."""
    items = [concern] if concern.raised_by_id != actor.id else []
    return items + [n for n in concern_notices if n.author_id != actor.id]


def awaiting(concern: Concern, concern_notices: list[DisclosureNotice], actor) -> list:
    """What ``actor`` has not yet confirmed having read (the page offers "I have read this")."""
    return [
        item
        for item in written_by_other(concern, concern_notices, actor)
        if item.seen_by_other_at is None
    ]


def mark_seen(concern: Concern, concern_notices: list[DisclosureNotice], actor) -> int:
    """Record, once, when the other party read the concern and each notice; returns how many
    were waiting (0 when repeated, so a second click changes nothing)."""
    now = utcnow()
    waiting = awaiting(concern, concern_notices, actor)
    for item in waiting:
        item.seen_by_other_at = now
    return len(waiting)


def acknowledge(pair: Pair, concern: Concern, actor) -> int:
    """The other party's "I have read this": an explicit POST, so opening the page never writes.
    A notice's disclosure may happen only from this moment (``effective_from``). Allowed in an
    ended pair too: a notice recorded before the end must still be shown before its date.

    Raises PermissionError when ``actor`` wrote everything here: the receipt is the other's."""
    concern_notices = notices(concern)
    if not written_by_other(concern, concern_notices, actor):
        raise PermissionError(
            gettext(
                "You wrote this concern and its notices: only the other party "
                "confirms having read them."
            )
        )
    count = mark_seen(concern, concern_notices, actor)
    if count:
        log_event(pair, actor, "concern_acknowledged")
        notify_other(pair, actor, _url(pair, concern))
    return count


def respond(pair: Pair, concern: Concern, actor, kind: str, body: str) -> ConcernResponse:
    """The other party agrees, proposes otherwise or refuses; the raiser may revise the proposal."""
    require_active(pair)
    if kind not in RESPONSE_STATUS:
        raise ValidationError(gettext("Choose agree, propose otherwise or refuse."), field="kind")
    if actor.id == concern.raised_by_id and kind != "propose":
        raise ValidationError(
            gettext("You raised this concern; you can only revise the proposal."), field="kind"
        )
    response = ConcernResponse(
        pair_id=pair.id,
        concern_id=concern.id,
        author_id=actor.id,
        kind=kind,
        body=clean_text(body, "Answer", required=kind != "agree"),
        created_at=utcnow(),
    )
    db.session.add(response)
    if actor.id != concern.raised_by_id:
        concern.status = RESPONSE_STATUS[kind]
    log_event(pair, actor, "concern_answered")
    notify_other(pair, actor, _url(pair, concern))
    return response


def earliest_date(concern: Concern, today: date | None = None) -> date:
    """Immediate danger: today (still shown first). Otherwise at least the notice period ahead."""
    today = today or utcnow().date()
    if concern.immediate_danger:
        return today
    return today + timedelta(days=int(get_setting(NOTICE_DAYS_KEY, 1)))


def record_notice(
    pair: Pair, concern: Concern, actor, what: str, to_whom: str, disclose_on: date
) -> DisclosureNotice:
    """What will be said, to whom and when. The date is never in the past, and the disclosure
    counts only from the moment the other party has been shown the notice."""
    require_active(pair)
    if concern.status == ConcernStatus.OPEN and not concern.immediate_danger:
        raise ValidationError(
            gettext("Wait for the other party's answer before recording a notice.")
        )
    if not isinstance(disclose_on, date):
        raise ValidationError(gettext("Give the date of the disclosure."), field="disclose_on")
    earliest = earliest_date(concern)
    if disclose_on < earliest:
        raise ValidationError(
            gettext(
                "The disclosure date cannot be earlier than %(date)s: the other party "
                "must be shown this notice first.",
                date=format_date(earliest, "long"),
            ),
            field="disclose_on",
        )
    notice = DisclosureNotice(
        pair_id=pair.id,
        concern_id=concern.id,
        author_id=actor.id,
        what=clean_text(what, "What will be said"),
        to_whom=clean_text(to_whom, "To whom", limit=500),
        disclose_on=datetime.combine(disclose_on, time(0, 0), tzinfo=UTC),
        created_at=utcnow(),
    )
    db.session.add(notice)
    log_event(pair, actor, "notice_recorded")
    notify_other(pair, actor, _url(pair, concern), NOTICE_TEXT)
    return notice
