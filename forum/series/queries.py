"""Read-side queries of the series pages, each a fixed number of statements (no N+1).

Every SELECT of parts and comments passes the visibility policy; these add only what a page
wants to show (e.g. "live parts" on a thread) on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort, g, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, raiseload, selectinload

from forum.accounts.models import User
from forum.db import utcnow
from forum.discussion.models import Comment
from forum.extensions import db
from forum.series.models import (
    Characteristic,
    ExpertProfile,
    Part,
    PartStatus,
    Series,
    public_part_clause,
)
from forum.visibility import bypass


def characteristic_or_404(slug: str, for_page: bool = True) -> Characteristic:
    """The characteristic, with its series and prompts for a page (one statement); a form's
    POST takes the row alone."""
    if len(slug) > 80:
        abort(404)
    query = select(Characteristic).where(Characteristic.slug == slug)
    if for_page:
        query = query.options(joinedload(Characteristic.series), joinedload(Characteristic.prompts))
    ch = db.session.execute(query).unique().scalar_one_or_none()
    if ch is None:
        abort(404)
    g.setdefault("_forum_characteristics", {})[slug] = ch
    return ch


def loaded_characteristic(slug: str) -> Characteristic | None:
    """The characteristic this request's view already loaded by ``slug`` (slots reuse it)."""
    return g.get("_forum_characteristics", {}).get(slug) if has_app_context() else None


def live_parts(characteristic_id: int) -> list[tuple[Part, ExpertProfile | None]]:
    """The characteristic's published parts in order, each with its author's expert card."""
    rows = db.session.execute(
        select(Part, ExpertProfile)
        .outerjoin(ExpertProfile, ExpertProfile.user_id == Part.author_id)
        .where(Part.characteristic_id == characteristic_id, public_part_clause(Part))
        .options(joinedload(Part.author).raiseload(User.roles), raiseload(ExpertProfile.user))
        .order_by(Part.part_number, Part.id)
    ).all()
    return [(part, profile) for part, profile in rows]


@dataclass
class Stats:
    parts: int = 0
    comments: int = 0
    latest: datetime | None = None


def thread_stats(characteristic_ids: list[int]) -> dict[int, Stats]:
    """Live part counts, visible comment counts and latest activity per characteristic (2 queries)."""
    stats = {cid: Stats() for cid in characteristic_ids}
    if not characteristic_ids:
        return stats
    for cid, count, latest in db.session.execute(
        select(Part.characteristic_id, func.count(Part.id), func.max(Part.publish_at))
        .where(Part.characteristic_id.in_(characteristic_ids), public_part_clause(Part))
        .group_by(Part.characteristic_id)
    ):
        stats[cid].parts, stats[cid].latest = count, latest
    for cid, count, latest in db.session.execute(
        select(Comment.characteristic_id, func.count(Comment.id), func.max(Comment.created_at))
        .where(Comment.characteristic_id.in_(characteristic_ids), Comment.deleted_at.is_(None))
        .group_by(Comment.characteristic_id)
    ):
        stats[cid].comments = count
        if latest and (stats[cid].latest is None or latest > stats[cid].latest):
            stats[cid].latest = latest
    return stats


def all_series() -> list[Series]:
    return list(
        db.session.execute(
            select(Series).options(selectinload(Series.characteristics)).order_by(Series.id)
        ).scalars()
    )


@dataclass
class Teaser:
    """What "coming soon" may show of a scheduled part: never its body."""

    part_id: int
    title: str
    teaser: str
    publish_at: datetime
    part_number: int
    characteristic_title: str
    characteristic_number: int
    expert_name: str
    username: str
    affiliation: str
    country: str
    characteristic_slug: str = ""
    author_id: int = 0


def _teasers(*where, limit: int = 50) -> list[Teaser]:
    """Approved parts whose publish date is ahead (soonest first), narrowed by ``where``.

    The public visibility clause hides these parts entirely; this one listing lifts it (an
    audited bypass) and selects only teaser columns, so no body can ever reach the page.
    """
    rows = db.session.execute(
        select(
            Part.id,
            Part.title,
            Part.teaser,
            Part.publish_at,
            Part.part_number,
            Characteristic.title,
            Characteristic.number,
            User.display_name,
            User.username,
            ExpertProfile.affiliation,
            ExpertProfile.country,
            Characteristic.slug,
            Part.author_id,
        )
        .join(Characteristic, Characteristic.id == Part.characteristic_id)
        .join(User, User.id == Part.author_id)
        .outerjoin(ExpertProfile, ExpertProfile.user_id == Part.author_id)
        .where(
            Part.status == PartStatus.APPROVED,
            Part.publish_at > utcnow(),
            Part.hidden_at.is_(None),
            Part.deleted_at.is_(None),
            *where,
        )
        .order_by(Part.publish_at, Part.id)
        .limit(limit)
        .execution_options(**bypass("core", "coming-soon teasers: title, teaser and date only"))
    ).all()
    return [
        Teaser(
            r[0],
            r[1],
            r[2] or "",
            r[3],
            r[4],
            r[5],
            r[6],
            r[7] or r[8],
            r[8],
            r[9] or "",
            r[10] or "",
            r[11],
            r[12],
        )
        for r in rows
    ]


def coming_soon(limit: int = 50) -> list[Teaser]:
    """Every scheduled part, soonest first."""
    return _teasers(limit=limit)


def scheduled_part(characteristic_id: int, number: int) -> Teaser | None:
    """The scheduled part with that number, for its "coming soon" page (teaser columns only)."""
    found = _teasers(
        Part.characteristic_id == characteristic_id, Part.part_number == number, limit=1
    )
    return found[0] if found else None


@dataclass
class ThreadPart:
    """One entry of a thread's parts: a live part with its expert card, or a scheduled teaser."""

    number: int
    part: Part | None = None
    profile: ExpertProfile | None = None
    teaser: Teaser | None = None


def parts_in_order(characteristic_id: int) -> list[ThreadPart]:
    """Live and scheduled parts by number, so the thread's numbering never jumps (1, 2, 4)."""
    entries = [
        ThreadPart(p.part_number, p, profile) for p, profile in live_parts(characteristic_id)
    ]
    entries += [
        ThreadPart(t.part_number, teaser=t)
        for t in _teasers(Part.characteristic_id == characteristic_id, limit=500)
    ]
    return sorted(entries, key=lambda entry: entry.number)


@dataclass
class Link:
    """A previous/next target."""

    slug: str
    part_number: int
    title: str
    characteristic_title: str
    coming_soon: bool = False


def series_chain(series_id: int) -> list[Link]:
    """Every live and scheduled part of the series, in reading order (characteristic number,
    part number): previous/next pass through "coming soon" pages instead of skipping them."""
    rows = db.session.execute(
        select(
            Characteristic.number,
            Characteristic.slug,
            Part.part_number,
            Part.title,
            Characteristic.title,
        )
        .join(Characteristic, Characteristic.id == Part.characteristic_id)
        .where(Characteristic.series_id == series_id, public_part_clause(Part))
        .order_by(Characteristic.number, Part.part_number, Part.id)
    ).all()
    chain = [(row[0], row[2], Link(*row[1:])) for row in rows]
    chain += [
        (t.characteristic_number, t.part_number, _soon_link(t))
        for t in _teasers(Characteristic.series_id == series_id, limit=500)
    ]
    return [link for *_, link in sorted(chain, key=lambda item: item[:2])]


def _soon_link(t: Teaser) -> Link:
    return Link(t.characteristic_slug, t.part_number, t.title, t.characteristic_title, True)


def neighbours(chain: list[Link], slug: str, part_number: int) -> dict[str, Link | None]:
    """Previous/next in the characteristic and across the series (None at either end)."""
    out: dict[str, Link | None] = {
        "prev": None,
        "next": None,
        "prev_series": None,
        "next_series": None,
    }
    keys = [(link.slug, link.part_number) for link in chain]
    if (slug, part_number) not in keys:
        return out
    i = keys.index((slug, part_number))
    if i > 0:
        out["prev_series"] = chain[i - 1]
        out["prev"] = chain[i - 1] if chain[i - 1].slug == slug else None
    if i + 1 < len(chain):
        out["next_series"] = chain[i + 1]
        out["next"] = chain[i + 1] if chain[i + 1].slug == slug else None
    return out


def visible_part(characteristic: Characteristic, number: int) -> Part | None:
    """The part with that number the reader may see (the live one first), or None."""
    parts = (
        db.session.execute(
            select(Part)
            .where(Part.characteristic_id == characteristic.id, Part.part_number == number)
            .options(joinedload(Part.author).raiseload(User.roles))
            .order_by(Part.id)
        )
        .scalars()
        .all()
    )
    if not parts:
        return None
    live = [p for p in parts if p.is_live()]
    return (live or parts)[0]


def profile_for(user_id: int) -> ExpertProfile | None:
    return db.session.get(ExpertProfile, user_id)
