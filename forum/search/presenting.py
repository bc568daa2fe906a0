"""Turning index hits into what a results page or the API shows: title, snippet, link, label."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from forum.accounts.models import User
from forum.extensions import db
from forum.series import links
from forum.series.models import Characteristic


@dataclass
class Hit:
    kind: str
    label: str
    object_id: int
    title: Markup
    snippet: Markup
    url: str
    published_at: datetime | None
    characteristic: Characteristic | None = None
    author_name: str = ""


def _by_id(model, ids, *options) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    stmt = select(model).where(model.id.in_(ids)).options(*options)
    return {o.id: o for o in db.session.execute(stmt).scalars()}


def present_all(items, highlight) -> list[Hit]:
    """``items`` are ``(content_type, obj, snippet)``; related rows are loaded in two queries."""
    chars = _by_id(Characteristic, [getattr(o, "characteristic_id", None) for _, o, _ in items])
    users = _by_id(User, [getattr(o, "author_id", None) for _, o, _ in items], lazyload(User.roles))
    hits = []
    for ct, obj, snip in items:
        ch = chars.get(getattr(obj, "characteristic_id", None))
        author = users.get(getattr(obj, "author_id", None))
        author_name = author.name if author else (getattr(obj, "guest_name", None) or "")
        if ct.name == "part" and ch is not None:
            title, url, when = highlight(snip.title), links.part_url(obj, ch), obj.publish_at
        elif ct.name == "comment" and ch is not None:
            title = escape(
                gettext("Comment by %(name)s on %(title)s", name=author_name, title=ch.title)
                if author_name
                else gettext("Comment by a guest on %(title)s", title=ch.title)
            )
            url, when = links.comment_url(obj, ch), obj.created_at
        else:
            title, url = highlight(snip.title), snip.url
            when = getattr(obj, "published_at", None) or getattr(obj, "created_at", None)
        hits.append(
            Hit(
                ct.name,
                ct.label or ct.name,
                obj.id,
                title,
                highlight(snip.body),
                url,
                when,
                ch,
                author_name,
            )
        )
    return hits
