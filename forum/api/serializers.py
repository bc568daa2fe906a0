"""JSON shapes of the API; each matches a schema in ``forum.api.openapi`` (a test checks)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import url_for

from forum.content.formats import text_fallback
from forum.series import links


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _api(endpoint: str, **values) -> str:
    return url_for(f"api.{endpoint}", _external=True, **values)


def person(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.username, "name": user.name}


def series(s) -> dict:
    return {
        "id": s.id,
        "slug": s.slug,
        "title": s.title,
        "description": s.description or "",
        "created_at": iso(s.created_at),
        "links": {
            "self": _api("get_series", slug=s.slug),
            "html": links.series_url(s, True),
            "characteristics": _api("list_characteristics", series=s.slug),
            "feed": url_for("feeds.series", slug=s.slug, _external=True),
        },
    }


def characteristic(c, series_slug: str, prompts: list[str]) -> dict:
    return {
        "id": c.id,
        "series": series_slug,
        "number": c.number,
        "slug": c.slug,
        "title": c.title,
        "definition_html": c.definition_html or "",
        "prompts": prompts,
        "locked": bool(c.locked),
        "links": {
            "self": _api("get_characteristic", slug=c.slug),
            "html": links.characteristic_url(c, True),
            "parts": _api("list_parts", slug=c.slug),
            "comments": _api("list_comments", slug=c.slug),
            "feed": url_for("feeds.characteristic", slug=c.slug, _external=True),
            "comments_feed": url_for("feeds.comments", slug=c.slug, _external=True),
        },
    }


def part(p, c, author) -> dict:
    return {
        "id": p.id,
        "characteristic": c.slug,
        "part_number": p.part_number,
        "title": p.title,
        "teaser": p.teaser or "",
        "status": p.status,
        "body_format": p.body_format,
        "body_html": p.body_html,
        "body_text": text_fallback(p.body_format, p.body_source, p.body_html),
        "author": person(author),
        "published_at": iso(p.publish_at),
        "updated_at": iso(p.updated_at),
        "links": {"self": _api("get_part", part_id=p.id), "html": links.part_url(p, c, True)},
    }


def comment(m, c, author) -> dict:
    return {
        "id": m.id,
        "characteristic": c.slug,
        "status": m.status,
        "author": person(author),
        "guest_name": None if author else (m.guest_name or "Guest"),
        "reply_to": m.reply_to_id,
        "body_format": m.body_format,
        "body_html": m.body_html,
        "created_at": iso(m.created_at),
        "edited_at": iso(m.edited_at),
        "links": {
            "self": _api("get_comment", comment_id=m.id),
            "html": links.comment_url(m, c, True),
        },
    }


def expert(user, profile) -> dict:
    return {
        "username": user.username,
        "name": user.name,
        "affiliation": profile.affiliation or "",
        "country": profile.country or "",
        "website": profile.website or "",
        "bio_html": profile.bio_html or "",
        "is_demo": bool(profile.is_demo),
        "links": {
            "self": _api("get_expert", username=user.username),
            "html": links.expert_url(user, True),
            "parts": _api("list_expert_parts", username=user.username),
            "feed": url_for("feeds.expert", username=user.username, _external=True),
        },
    }


def hit(h) -> dict:
    return {
        "kind": h.kind,
        "id": h.object_id,
        "title_html": str(h.title),
        "snippet_html": str(h.snippet),
        "url": h.url,
        "published_at": iso(h.published_at),
        "characteristic": h.characteristic.slug if h.characteristic else None,
        "author_name": h.author_name or None,
    }
