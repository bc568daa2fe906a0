"""Unread comments per member and thread: how far they have read, and where to jump.

A member's position is the highest comment id they were shown (``ThreadRead``). It moves only
on a POST (the thread page's "Mark as read" form, which the members' script sends by itself as
comments come into view): no GET writes. What is unread goes through the visibility policy like any
comment listing, and the count stops at ``UNREAD_CAP`` so a huge thread costs what a small one does.
"""

from __future__ import annotations

from sqlalchemy import func, select

from forum.db import utcnow
from forum.discussion.models import Comment
from forum.extensions import db
from forum.notifications.models import ThreadRead, Watch

UNREAD_CAP = 99


def _read_upto(user_id: int, characteristic_id: int):
    """The member's position as a scalar subquery (0 when they never read the thread)."""
    return func.coalesce(
        select(ThreadRead.last_comment_id)
        .where(ThreadRead.user_id == user_id, ThreadRead.characteristic_id == characteristic_id)
        .scalar_subquery(),
        0,
    )


def read_position(user_id, characteristic_id):
    """The member's position in the thread (0 when they never read it): with the content version,
    it fixes what ``thread_state`` answers, at the cost of one primary-key lookup."""
    return _read_upto(user_id, characteristic_id)


def _unread_ids(user_id: int, characteristic_id: int, limit: int):
    return (
        select(Comment.id)
        .where(
            Comment.characteristic_id == characteristic_id,
            Comment.deleted_at.is_(None),
            Comment.id > _read_upto(user_id, characteristic_id),
            Comment.author_id.is_distinct_from(user_id),
        )
        .order_by(Comment.id)
        .limit(limit)
    )


def thread_state_columns(user_id: int, characteristic_id: int):
    """The columns of ``thread_state`` (watching, unread count, first unread id), to select
    alone or beside others (``services.reader_state``)."""
    ids = _unread_ids(user_id, characteristic_id, UNREAD_CAP + 1).subquery()
    watching = (
        select(Watch.user_id)
        .where(Watch.user_id == user_id, Watch.characteristic_id == characteristic_id)
        .exists()
    )
    count = select(func.count(ids.c.id)).scalar_subquery()
    first = select(func.min(ids.c.id)).scalar_subquery()
    return watching, count, first


def thread_state(user_id: int, characteristic_id: int) -> tuple[bool, int, int | None]:
    """``(watching, unread count, first unread id)`` in one statement: unread are the comments
    others wrote since the member's position; the count stops at ``UNREAD_CAP + 1`` (shown as
    "99+")."""
    row = db.session.execute(select(*thread_state_columns(user_id, characteristic_id))).one()
    return bool(row[0]), row[1], row[2]


def first_unread_id(user_id: int, characteristic_id: int) -> int | None:
    return thread_state(user_id, characteristic_id)[2]


def mark_read_upto(user_id: int, characteristic_id: int, comment_id: int) -> None:
    """Move the member's position forward to ``comment_id`` (never back; caller commits)."""
    row = db.session.get(ThreadRead, (user_id, characteristic_id))
    if row is None:
        db.session.add(
            ThreadRead(
                user_id=user_id,
                characteristic_id=characteristic_id,
                last_comment_id=comment_id,
                updated_at=utcnow(),
            )
        )
    elif comment_id > row.last_comment_id:
        row.last_comment_id, row.updated_at = comment_id, utcnow()


def badge(count: int) -> str:
    return f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count)
