"""Comment pages: a count and one page of rows, both through the visibility policy.

The page is found by OFFSET over ``ix_comments_thread`` (characteristic_id, status, id) and then
loaded by id, so the wide rows are read only for the 20 comments shown.
"""

from __future__ import annotations

from math import ceil

from flask import current_app
from sqlalchemy import func, not_, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.discussion.models import Comment, public_comment_clause
from forum.extensions import db
from forum.pagecache.versioned import cached
from forum.visibility import as_actor, current_actor, registry, sees_public_plus_own


def per_page() -> int:
    return int(current_app.config.get("COMMENTS_PER_PAGE", 20))


def _thread(characteristic_id: int):
    return (Comment.characteristic_id == characteristic_id, Comment.deleted_at.is_(None))


def _count(*where) -> int:
    return db.session.execute(select(func.count(Comment.id)).where(*where)).scalar_one()


def public_count(characteristic_id: int) -> int:
    """What the anonymous reader sees of the thread, asked through the policy as anonymous.

    Cached per process under the page cache's content version (any commit changing content
    changes it), so a 100,000-comment thread is counted once per change, not once per view."""

    def count() -> int:
        with as_actor(None):
            return _count(*_thread(characteristic_id))

    return cached("forum.discussion.counts", characteristic_id, count)


def visible_count(characteristic_id: int) -> int:
    """How many comments of the thread this reader may see."""
    actor = current_actor()
    ct = registry().get("comment")
    if ct is None or not sees_public_plus_own(actor, ct):
        return _count(*_thread(characteristic_id))
    count = public_count(characteristic_id)
    if getattr(actor, "id", None) is not None:
        # their own pending/hidden comments the policy lets them see: a tiny count by author
        # (``characteristic_id + 0`` keeps the planner off the thread index, which would walk
        # every comment of a 100,000-comment thread to find a reader's two)
        count += _count(
            (Comment.characteristic_id + 0) == characteristic_id,
            Comment.deleted_at.is_(None),
            Comment.author_id == actor.id,
            not_(public_comment_clause(Comment)),
        )
    return count


def last_page(count: int) -> int:
    return max(1, ceil(count / per_page()))


def page_of(characteristic_id: int, page: int, count: int | None = None) -> list[Comment]:
    """One page of the thread's visible comments, oldest first, with authors and quoted replies.

    With the reader's ``count``, a page in the second half of the thread is read backwards from
    the newest comment, so the last page costs what the first does (OFFSET stays under half)."""
    size = per_page()
    offset, limit, order = (page - 1) * size, size, Comment.id
    if count is not None and offset > count // 2:
        end = min(page * size, count)
        offset, limit, order = count - end, max(0, end - (page - 1) * size), Comment.id.desc()
    # A join to the page's ids (not ``id IN (subquery)``): the planner then drives the outer query
    # from those 20 ids by primary key, instead of from the policy's own clauses (for a member,
    # ``status = 'approved' OR author_id = ?`` would read every approved comment of the site).
    ids = (
        select(Comment.id.label("page_id"))
        .where(*_thread(characteristic_id))
        .order_by(order)
        .offset(offset)
        .limit(limit)
        .subquery()
    )
    return list(
        db.session.execute(
            select(Comment)
            .join(ids, Comment.id == ids.c.page_id)
            .order_by(Comment.id)
            .options(
                joinedload(Comment.author).raiseload(User.roles),
                # quoted replies in the same statement (a LEFT JOIN; the policy applies to the alias too)
                joinedload(Comment.reply_to).joinedload(Comment.author).raiseload(User.roles),
            )
        ).scalars()
    )


def page_containing(comment: Comment) -> int:
    """The page of the thread on which ``comment`` appears for this reader."""
    before = db.session.execute(
        select(func.count(Comment.id)).where(
            *_thread(comment.characteristic_id), Comment.id < comment.id
        )
    ).scalar_one()
    return before // per_page() + 1
