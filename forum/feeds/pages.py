"""Which public thing a page shows, from its endpoint and view args: for feed discovery and cards.

Looked up as the anonymous reader, so a card or feed link never describes unpublished content,
even on the author's own preview of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.content import plain_text
from forum.extensions import db
from forum.kernel.hooks import hook
from forum.series import links
from forum.series.models import Characteristic, ExpertProfile, Part, Series
from forum.series.queries import loaded_characteristic
from forum.visibility import as_actor

EXPERT_ENDPOINTS = ("series.expert", "accounts.profile")


@dataclass
class Card:
    """Open Graph / Twitter card values of a public page."""

    type: str
    title: str
    description: str
    url: str


def by_slug_or_404(model, slug: str):
    """The ``model`` row (Series, Characteristic) with ``slug``, else a 404 (too long: 404 too)."""
    if len(slug) > 80:
        abort(404)
    found = db.session.execute(select(model).where(model.slug == slug)).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def characteristic_by_slug(slug) -> Characteristic | None:
    if not isinstance(slug, str) or len(slug) > 80:
        return None

    loaded = loaded_characteristic(slug)
    if loaded is not None:  # the view's own row: no second query per head slot
        return loaded
    return db.session.execute(
        select(Characteristic).where(Characteristic.slug == slug)
    ).scalar_one_or_none()


def public_part(characteristic: Characteristic, number) -> Part | None:
    with as_actor(None):
        return (
            db.session.execute(
                select(Part)
                .where(Part.characteristic_id == characteristic.id, Part.part_number == number)
                .options(joinedload(Part.author))
            )
            .scalars()
            .first()
        )


def _expert(username) -> User | None:
    if not isinstance(username, str) or len(username) > 40:
        return None
    return db.session.execute(
        select(User)
        .join(ExpertProfile, ExpertProfile.user_id == User.id)
        .where(User.username_key == username.lower(), User.deleted_at.is_(None))
    ).scalar_one_or_none()


def feeds_for(endpoint: str | None, args: dict) -> list[tuple[str, str, str]]:
    """The core's ``(endpoint, title, url)`` feeds for a page (``endpoint=None``: every site-wide
    feed, for ``/feeds``), the site feed last."""
    out = []
    ch = (
        characteristic_by_slug(args.get("slug"))
        if endpoint in ("series.thread", "series.part")
        else None
    )
    if ch is not None:
        out.append(
            (
                "feeds.characteristic",
                gettext("%(title)s: parts", title=ch.title),
                url_for("feeds.characteristic", slug=ch.slug),
            )
        )
        out.append(
            (
                "feeds.comments",
                gettext("%(title)s: comments", title=ch.title),
                url_for("feeds.comments", slug=ch.slug),
            )
        )
    if endpoint in EXPERT_ENDPOINTS:
        expert = _expert(args.get("username"))
        if expert is not None:
            url = url_for("feeds.expert", username=expert.username)
            out.append(("feeds.expert", gettext("%(title)s: parts", title=expert.name), url))
    if endpoint is None:
        for series in db.session.execute(select(Series).order_by(Series.id)).scalars():
            out.append(
                (
                    "feeds.series",
                    gettext("%(title)s: new parts", title=series.title),
                    url_for("feeds.series", slug=series.slug),
                )
            )
    out.append(("feeds.site", gettext("Mentorship Forum: new parts"), url_for("feeds.site")))
    return out


def site_feeds(endpoint: str | None, args: dict) -> list[tuple[str, str, str]]:
    """Every enabled plugin's feeds for the page (``register_feeds``), the core's first, each URL
    once."""
    seen, out = set(), []
    for group in reversed(hook.register_feeds(endpoint=endpoint, view_args=args)):
        for feed_endpoint, title, url in group or ():
            if url not in seen:
                seen.add(url)
                out.append((feed_endpoint, title, url))
    return out


def card_for(endpoint: str | None, args: dict) -> Card | None:
    """The sharing card of a public part or characteristic page, else None."""
    if endpoint not in ("series.thread", "series.part"):
        return None
    ch = characteristic_by_slug(args.get("slug"))
    if ch is None:
        return None
    if endpoint == "series.thread":
        description = plain_text(ch.definition_html, 200) or gettext(
            "The %(title)s discussion.", title=ch.title
        )
        return Card(
            "website",
            f"KMC {ch.number}) {ch.title}",
            description,
            links.characteristic_url(ch, external=True),
        )
    part = public_part(ch, args.get("number"))
    if part is None:
        return None
    description = part.teaser or plain_text(part.body_html, 200)
    return Card(
        "article",
        f"{part.title} · KMC {ch.number}) {ch.title}",
        description,
        links.part_url(part, ch, external=True),
    )
