"""What each Atom feed holds: published parts or approved comments, asked as the public reader.

Feeds are public documents (cached, shared, polled by readers' tools), so they are built as the
anonymous actor whoever asks: an author never sees their own unpublished part in a feed.
"""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.discussion.models import Comment
from forum.extensions import db
from forum.feeds.atom import Entry, Feed
from forum.series import links
from forum.series.models import Characteristic, Part
from forum.visibility import as_actor

LIMIT = 50


def tag(specific: str) -> str:
    """A stable Atom id (RFC 4151 tag URI) that survives moving the site between ports or paths."""
    authority = (
        current_app.config.get("FORUM_TAG_AUTHORITY")
        or current_app.config.get("SERVER_NAME")
        or request.host
    ).split(":")[0]
    return f"tag:{authority},2026:{specific}"


def _parts(*where) -> list[Part]:
    with as_actor(None):
        return list(
            db.session.execute(
                select(Part)
                .where(*where)
                .options(joinedload(Part.characteristic), joinedload(Part.author))
                .order_by(Part.publish_at.desc(), Part.id.desc())
                .limit(LIMIT)
            ).scalars()
        )


def _part_entry(part: Part) -> Entry:
    ch = part.characteristic
    updated = max(d for d in (part.publish_at, part.updated_at) if d is not None)
    return Entry(
        id=tag(f"part/{part.id}"),
        title=f"{ch.title}, part {part.part_number}: {part.title}",
        url=links.part_url(part, ch, external=True),
        published=part.publish_at,
        updated=updated,
        author_name=part.author.name,
        author_uri=links.expert_url(part.author, external=True),
        content_html=part.body_html,
        summary=part.teaser or "",
        category=ch.slug,
    )


def _comment_entry(comment: Comment, ch: Characteristic) -> Entry:
    name = comment.display_author
    return Entry(
        id=tag(f"comment/{comment.id}"),
        title=gettext("Comment by %(name)s on %(title)s", name=name, title=ch.title),
        url=links.comment_url(comment, ch, external=True),
        published=comment.created_at,
        updated=comment.edited_at or comment.created_at,
        author_name=name,
        content_html=comment.body_html,
    )


def site_feed(self_url: str) -> Feed:
    feed = Feed(
        tag("site"),
        gettext("Mentorship Forum: new parts"),
        self_url,
        links.home_url(True),
        subtitle=gettext(
            "Expert parts of the Key Mentorship Characteristics series, as published."
        ),
    )
    feed.entries = [_part_entry(p) for p in _parts()]
    return feed


def series_feed(series, self_url: str) -> Feed:
    ids = select(Characteristic.id).where(Characteristic.series_id == series.id)
    feed = Feed(
        tag(f"series/{series.id}"),
        gettext("%(title)s: new parts", title=series.title),
        self_url,
        links.series_url(series, True),
        fallback_updated=series.created_at,
    )
    feed.entries = [_part_entry(p) for p in _parts(Part.characteristic_id.in_(ids))]
    return feed


def characteristic_feed(ch: Characteristic, self_url: str) -> Feed:
    feed = Feed(
        tag(f"characteristic/{ch.id}"),
        gettext("%(title)s: parts", title=f"{ch.number}) {ch.title}"),
        self_url,
        links.characteristic_url(ch, True),
        fallback_updated=ch.created_at,
    )
    feed.entries = [_part_entry(p) for p in _parts(Part.characteristic_id == ch.id)]
    return feed


def comments_feed(ch: Characteristic, self_url: str) -> Feed:
    feed = Feed(
        tag(f"characteristic/{ch.id}/comments"),
        gettext("%(title)s: comments", title=f"{ch.number}) {ch.title}"),
        self_url,
        links.characteristic_url(ch, True),
        fallback_updated=ch.created_at,
    )
    with as_actor(None):
        comments = (
            db.session.execute(
                select(Comment)
                .where(Comment.characteristic_id == ch.id)
                .options(joinedload(Comment.author))
                .order_by(Comment.created_at.desc(), Comment.id.desc())
                .limit(LIMIT)
            )
            .scalars()
            .all()
        )
    feed.entries = [_comment_entry(c, ch) for c in comments]
    return feed


def expert_feed(user, self_url: str) -> Feed:
    feed = Feed(
        tag(f"expert/{user.id}"),
        f"{user.name}: parts",
        self_url,
        links.expert_url(user, True),
        fallback_updated=user.created_at,
    )
    feed.entries = [_part_entry(p) for p in _parts(Part.author_id == user.id)]
    return feed
