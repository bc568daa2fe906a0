"""Comment pages: a count and one page of rows, both through the visibility policy.

The page is found by OFFSET over ``ix_comments_thread`` (characteristic_id, status, id) and then
loaded by id, so the wide rows are read only for the 20 comments shown.
"""

from __future__ import annotations

from math import ceil

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from forum.accounts.models import User
from forum.discussion.models import Comment
from forum.extensions import db


def per_page() -> int:
    return int(current_app.config.get("COMMENTS_PER_PAGE", 20))


def _thread(characteristic_id: int):
    return (Comment.characteristic_id == characteristic_id, Comment.deleted_at.is_(None))


def visible_count(characteristic_id: int) -> int:
    """How many comments of the thread this reader may see."""
    return db.session.execute(
        select(func.count(Comment.id)).where(*_thread(characteristic_id))
    ).scalar_one()


def last_page(count: int) -> int:
    return max(1, ceil(count / per_page()))


def page_of(characteristic_id: int, page: int) -> list[Comment]:
    """One page of the thread's visible comments, oldest first, with authors and quoted replies."""
    size = per_page()
    # A join to the page's ids (not ``id IN (subquery)``): the planner then drives the outer query
    # from those 20 ids by primary key, instead of from the policy's own clauses (for a member,
    # ``status = 'approved' OR author_id = ?`` would read every approved comment of the site).
    ids = select(Comment.id.label("page_id")).where(*_thread(characteristic_id)).order_by(Comment.id) \
        .offset((page - 1) * size).limit(size).subquery()
    return list(db.session.execute(
        select(Comment).join(ids, Comment.id == ids.c.page_id).order_by(Comment.id)
        .options(
            joinedload(Comment.author).raiseload(User.roles),
            selectinload(Comment.reply_to).joinedload(Comment.author).raiseload(User.roles),
        )
    ).scalars())


def page_containing(comment: Comment) -> int:
    """The page of the thread on which ``comment`` appears for this reader."""
    before = db.session.execute(
        select(func.count(Comment.id)).where(*_thread(comment.characteristic_id), Comment.id < comment.id)
    ).scalar_one()
    return before // per_page() + 1
