"""Creating notifications. Texts are short, content-free lines ("New reply to your comment").

``notify_once`` deduplicates in-app notices (one per user, kind, link and text), so a comment
approved and published in one step still notifies once. Every notice also goes by e-mail as its
member chose for its kind (``forum.notifications.delivery``).
"""

from __future__ import annotations

from contextlib import contextmanager

from flask import g
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.db import utcnow
from forum.extensions import db
from forum.mail.text import written_in
from forum.notifications import reading
from forum.notifications.delivery import deliver
from forum.notifications.models import Notification


def notify(
    user_id: int, kind: str, text: str, url: str = "", *, email_text: str | None = None
) -> Notification:
    """Queue an in-app notification for ``user_id`` in the caller's transaction, and its e-mail
    (now or in the digest) as the member chose for ``kind``."""
    note = Notification(user_id=user_id, kind=kind, text=text[:500], url=url[:500])
    db.session.add(note)
    deliver(user_id, kind, email_text or text, url)
    return note


@contextmanager
def in_language_of(user_id: int | None):
    """Compose what ``user_id`` will read (a notice, its e-mail) in their language: their saved
    locale, else the site's default (never the language of whoever caused it)."""
    user = db.session.get(User, user_id) if user_id is not None else None
    with written_in(getattr(user, "locale", None)):
        yield


def notify_once(
    user_id: int | None, kind: str, text: str, url: str = "", *, email_text: str | None = None
) -> Notification | None:
    """``notify`` unless the same notice exists already; also queues the e-mail. None if skipped."""
    if user_id is None:
        return None
    text, url = text[:500], url[:500]
    exists = db.session.execute(
        select(Notification.id).where(
            Notification.user_id == user_id,
            Notification.kind == kind,
            Notification.url == url,
            Notification.text == text,
        )
    ).first()
    if exists:
        return None
    return notify(user_id, kind, text, url, email_text=email_text)


def unread_count(user_id: int) -> int:
    return db.session.execute(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    ).scalar_one()


def _unread(user_id: int):
    return select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )


def reader_state(user_id: int, characteristic_id: int | None) -> tuple[int, bool, int, int | None]:
    """``(unread notices, watching, unread comments, first unread comment id)`` for the member on
    the page's thread, in one statement per request: the menu's count and the thread's tabs
    (``reading.thread_state`` folded in) both ask, and a member's page has a budget of four
    statements (``forum.pagecache.layer``). Without a thread, only the notices are counted."""
    key = (user_id, characteristic_id)
    memo = g.setdefault("_forum_reader_state", {})
    if key not in memo:
        if characteristic_id is None:
            notices = _unread(user_id).scalar_subquery()
            memo[key] = (db.session.execute(select(notices)).scalar_one(), False, 0, None)
        else:
            row = db.session.execute(select(*reader_state_columns(user_id, characteristic_id)))
            notices, watching, count, first = row.one()
            memo[key] = (notices, bool(watching), count, first)
    return memo[key]


def reader_state_columns(user_id, characteristic_id) -> list:
    """``reader_state``'s columns."""
    notices = _unread(user_id).scalar_subquery()
    return [notices, *reading.thread_state_columns(user_id, characteristic_id)]


def reader_state_key_columns(user_id, characteristic_id) -> list:
    """What fixes ``reader_state`` within one content version (every new comment moves it), in
    primary-key lookups: the unread notices, the watch and the member's read position."""
    watching = reading.thread_state_columns(user_id, characteristic_id)[0]
    notices = _unread(user_id).scalar_subquery()
    return [notices, watching, reading.read_position(user_id, characteristic_id)]


def mark_read(user_id: int, note_id: int | None = None) -> int:
    """Mark one (or every) unread notice of ``user_id`` read; returns how many changed."""

    stmt = select(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if note_id is not None:
        stmt = stmt.where(Notification.id == note_id)
    notes = db.session.execute(stmt).scalars().all()
    now = utcnow()
    for note in notes:
        note.read_at = now
    return len(notes)
