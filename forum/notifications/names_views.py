"""``/members/names?q=``: the names a member may pick from while typing ``@`` in a comment.

Members only (the list is not for harvesting), rate-limited, and only what every public profile
shows: the username and the display name of members who are not deleted.
"""

from __future__ import annotations

import re

from flask import jsonify, request
from flask_login import login_required
from sqlalchemy import or_, select

from forum.accounts.models import User
from forum.extensions import db, limiter
from forum.notifications.views import bp

MAX_SUGGESTIONS = 8


@bp.get("/members/names")
@login_required
@limiter.limit("120/minute")
def member_names():
    """Up to eight members whose username or name starts with ``q``: what profiles show."""
    query = (request.args.get("q") or "").strip().lstrip("@")[:40]
    if not query or not re.fullmatch(r"[\w .-]+", query):
        return jsonify([])
    like = query.lower().replace("\\", "").replace("%", "").replace("_", "\\_") + "%"
    users = db.session.execute(
        select(User)
        .where(
            User.deleted_at.is_(None),
            or_(
                User.username_key.like(like, escape="\\"),
                User.display_name.ilike(like, escape="\\"),
            ),
        )
        .order_by(User.username_key)
        .limit(MAX_SUGGESTIONS)
    ).scalars()
    return jsonify([{"username": u.username, "name": u.name} for u in users])
