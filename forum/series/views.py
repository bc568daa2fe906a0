"""Reader pages of the series: home, a characteristic's thread, part permalinks, experts, coming soon."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.discussion import queries as comments_q
from forum.discussion.forms import comment_form_for
from forum.extensions import db
from forum.routing import page_arg
from forum.series import queries
from forum.series.models import (
    Characteristic,
    Part,
    PartRevision,
    RevisionStatus,
    public_part_clause,
)

bp = Blueprint("series", __name__)


@bp.route("/")
def home():
    series_list = queries.all_series()
    ids = [c.id for s in series_list for c in s.characteristics]
    return render_template(
        "series/home.html",
        series_list=series_list,
        stats=queries.thread_stats(ids),
        coming=queries.coming_soon(limit=5),
    )


@bp.route("/coming-soon")
def coming_soon():
    return render_template("series/coming_soon.html", coming=queries.coming_soon())


@bp.route("/c/<slug>")
def thread(slug: str):
    characteristic = queries.characteristic_or_404(slug)
    count = comments_q.visible_count(characteristic.id)
    last = comments_q.last_page(count)
    page = page_arg(last=last)
    return render_template(
        "series/thread.html",
        c=characteristic,
        parts=queries.live_parts(characteristic.id),
        comments=comments_q.page_of(characteristic.id, page, count),
        page=page,
        last_page=last,
        comment_count=count,
        # Anonymous thread pages stay cacheable (no CSRF session): guests get the form on its own page.
        form=comment_form_for(current_user, characteristic)
        if current_user.is_authenticated
        else None,
    )


@bp.route("/c/<slug>/part/<id:number>")
def part(slug: str, number: int):
    characteristic = queries.characteristic_or_404(slug)
    shown = queries.part_or_404(characteristic, number)
    chain = queries.series_chain(characteristic.series_id)
    pending = None
    if getattr(current_user, "id", None) == shown.author_id:
        pending = db.session.execute(
            select(PartRevision.id).where(
                PartRevision.part_id == shown.id, PartRevision.status == RevisionStatus.PENDING
            )
        ).first()
    return render_template(
        "series/part.html",
        c=characteristic,
        part=shown,
        profile=queries.profile_for(shown.author_id),
        nav=queries.neighbours(chain, slug, number)
        if shown.is_live()
        else queries.neighbours([], slug, number),
        pending_revision=pending is not None,
    )


@bp.route("/experts/<username>")
def expert(username: str):
    if len(username) > 40:
        abort(404)
    user = db.session.execute(
        select(User).where(User.username_key == username.lower(), User.deleted_at.is_(None))
    ).scalar_one_or_none()
    profile = queries.profile_for(user.id) if user is not None else None
    if profile is None:
        abort(404)
    posts = (
        db.session.execute(
            select(Part)
            .where(Part.author_id == user.id, public_part_clause(Part))
            .options(joinedload(Part.characteristic))
            .order_by(Part.publish_at.desc())
        )
        .scalars()
        .all()
    )
    return render_template("experts/profile.html", user=user, profile=profile, posts=posts)


__all__ = ["bp", "Characteristic"]
