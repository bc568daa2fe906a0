"""Reading the search filters (``q``, ``characteristic``, ``expert``, ``kind``) from a request."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from forum.accounts.models import User
from forum.extensions import db
from forum.search.backends import MAX_QUERY_CHARS, Filters
from forum.search.services import searchable_types
from forum.series.models import Characteristic, ExpertProfile


@dataclass
class SearchRequest:
    query: str
    characteristic: Characteristic | None
    expert: User | None
    kind: str
    filters: Filters


def parse(args) -> SearchRequest:
    """400 for a filter naming nothing that exists, so a typo is never a silent empty page."""

    query = (args.get("q") or "").strip()
    if len(query) > MAX_QUERY_CHARS:
        abort(400, description=f"A search may be at most {MAX_QUERY_CHARS} characters long.")
    types = searchable_types()
    kind = (args.get("kind") or "").strip()
    if kind and kind not in types:
        abort(400, description="Unknown kind of content; choose one from the list.")
    characteristic = expert = None
    slug = (args.get("characteristic") or "").strip()
    if slug:
        characteristic = db.session.execute(
            select(Characteristic).where(Characteristic.slug == slug[:80])
        ).scalar_one_or_none()
        if characteristic is None:
            abort(400, description="Unknown characteristic.")
    username = (args.get("expert") or "").strip()
    if username:
        expert = db.session.execute(
            select(User)
            .join(ExpertProfile, ExpertProfile.user_id == User.id)
            .where(User.username_key == username.lower()[:40])
        ).scalar_one_or_none()
        if expert is None:
            abort(400, description="Unknown expert.")
    filters = Filters(
        content_types=(kind,) if kind else tuple(types),
        characteristic_id=characteristic.id if characteristic else None,
        author_id=expert.id if expert else None,
    )
    return SearchRequest(query, characteristic, expert, kind, filters)


def choices() -> dict:
    """Options for the filter form: characteristics, experts and kinds."""

    characteristics = (
        db.session.execute(
            select(Characteristic).order_by(Characteristic.series_id, Characteristic.number)
        )
        .scalars()
        .all()
    )
    experts = (
        db.session.execute(
            select(User)
            .join(ExpertProfile, ExpertProfile.user_id == User.id)
            .options(lazyload(User.roles))
            .where(User.deleted_at.is_(None))
            .order_by(func.lower(User.username))
        )
        .scalars()
        .all()
    )
    kinds = [(name, ct.label or name) for name, ct in searchable_types().items()]
    return {"characteristics": characteristics, "experts": experts, "kinds": kinds}
