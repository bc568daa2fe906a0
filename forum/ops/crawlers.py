"""What crawlers are told: robots.txt rules and the sitemap of public threads and parts.

The sitemap is read as the anonymous reader through the one visibility policy (plus the
"live part" clause the thread pages use), so a scheduled, unapproved, hidden or deleted part,
and anything of a members-only type (pair spaces), can never be listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import select

from forum.extensions import db
from forum.series import links
from forum.series.models import Characteristic, Part, public_part_clause
from forum.series.queries import thread_stats
from forum.visibility import as_actor

#: Paths only members, staff or forms use: nothing there is for a search index.
PRIVATE_PREFIXES = (
    "/account",
    "/login",
    "/logout",
    "/register",
    "/notifications",
    "/moderation",
    "/admin",
    "/invitations",
    "/invite/",
    "/flag/",
    "/watch/",
    "/parts/",
    "/preview",
    "/search",
    "/api/",
    "/p/pair_spaces/",
    "/p/qa/moderation",
)


def robots_txt() -> str:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES]
    lines.append(f"Sitemap: {url_for('ops.sitemap', _external=True)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None = None


def sitemap_entries() -> list[SitemapEntry]:
    """The home page, every thread and every published part, with absolute URLs."""
    with as_actor(None):
        chars = list(
            db.session.execute(
                select(Characteristic).order_by(Characteristic.series_id, Characteristic.number)
            ).scalars()
        )
        parts = db.session.execute(  # (only what a URL and a date need: no bodies)
            select(
                Part.id, Part.characteristic_id, Part.part_number, Part.publish_at, Part.updated_at
            )
            .where(public_part_clause(Part))
            .order_by(Part.characteristic_id, Part.part_number)
        ).all()
        stats = thread_stats([c.id for c in chars])
    by_id = {c.id: c for c in chars}
    entries = [SitemapEntry(links.home_url(external=True))]
    entries += [
        SitemapEntry(links.characteristic_url(c, external=True), stats[c.id].latest) for c in chars
    ]
    entries += [
        SitemapEntry(
            links.part_url(p, by_id[p.characteristic_id], external=True),
            max(d for d in (p.publish_at, p.updated_at) if d is not None),
        )
        for p in parts
        if p.characteristic_id in by_id
    ]
    return entries
