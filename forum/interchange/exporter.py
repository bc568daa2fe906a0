"""``flask forum export``: one series in the interchange format, approved content only."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import User
from forum.discussion.models import Comment
from forum.extensions import db
from forum.interchange.schema import FORMAT
from forum.series.models import Characteristic, ExpertProfile, Part, PromptQuestion, Series
from forum.visibility import SYSTEM, as_actor


def _iso(dt) -> str:
    return dt.isoformat(timespec="seconds").replace("+00:00", "Z")


def export_series(slug: str) -> dict | None:
    """The document for series ``slug``: approved parts (scheduled ones too) and public comments."""
    with as_actor(SYSTEM):
        series = db.session.execute(select(Series).where(Series.slug == slug)).scalar_one_or_none()
        if series is None:
            return None
        chars = (
            db.session.execute(
                select(Characteristic)
                .where(Characteristic.series_id == series.id)
                .order_by(Characteristic.number)
            )
            .scalars()
            .all()
        )
        users = {u.id: u for u in db.session.execute(select(User)).scalars()}
        profiles = {p.user_id: p for p in db.session.execute(select(ExpertProfile)).scalars()}
        return {
            "format": FORMAT,
            "slug": series.slug,
            "title": series.title,
            "description": series.description,
            "characteristics": [_characteristic(c, users, profiles) for c in chars],
        }


def _characteristic(ch, users, profiles) -> dict:
    prompts = (
        db.session.execute(
            select(PromptQuestion.text)
            .where(PromptQuestion.characteristic_id == ch.id)
            .order_by(PromptQuestion.position)
        )
        .scalars()
        .all()
    )
    parts = (
        db.session.execute(
            select(Part)
            .where(
                Part.characteristic_id == ch.id,
                Part.status == "approved",
                Part.publish_at.is_not(None),
                Part.deleted_at.is_(None),
            )
            .order_by(Part.part_number)
        )
        .scalars()
        .all()
    )
    comments = (
        db.session.execute(
            select(Comment)
            .where(
                Comment.characteristic_id == ch.id,
                Comment.status == "approved",
                Comment.hidden_at.is_(None),
                Comment.deleted_at.is_(None),
            )
            .order_by(Comment.id)
        )
        .scalars()
        .all()
    )
    return {
        "number": ch.number,
        "slug": ch.slug,
        "title": ch.title,
        "definition": ch.definition_md,
        "prompts": list(prompts),
        "parts": [_part(p, users[p.author_id], profiles.get(p.author_id)) for p in parts],
        "comments": _comments(comments, users),
    }


def _part(part, author, profile) -> dict:
    doc = {
        "part_number": part.part_number,
        "author": author.username,
        "author_name": author.display_name,
        "title": part.title,
        "teaser": part.teaser,
        "markdown": part.body_source,
        "publish_at": _iso(part.publish_at),
    }
    if profile is not None:
        doc.update(
            affiliation=profile.affiliation,
            country=profile.country,
            website=profile.website,
            bio=profile.bio_md,
        )
    return doc


def _comments(comments, users) -> list[dict]:
    index = {c.id: i for i, c in enumerate(comments)}
    out = []
    for c in comments:
        doc = {
            "markdown": c.body_source,
            "created_at": _iso(c.created_at),
            "reply_to": index.get(c.reply_to_id),
        }
        if c.author_id:
            doc["author"] = users[c.author_id].username
        else:
            doc["guest_name"] = c.guest_name or "Guest"
        out.append(doc)
    return out
