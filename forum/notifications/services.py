"""Creating notifications. Texts are short, content-free lines ("New reply to your comment").

In-app notices are deduplicated (one per user, kind, link and text), so a comment approved and
published in one step still notifies once. When ``MAIL_URL`` is set, each notice of a kind that
mails also lands in the outbox for ``flask forum send-mail``.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.extensions import db
from forum.kernel.registries import notification_kinds
from forum.notifications.message import absolute_url, single_line, site_path
from forum.notifications.models import MailOptOut, Notification, OutboxMail

EMAIL_FOOTER = "You get this e-mail because of your notification settings on the Mentorship Forum."


def notify(user_id: int, kind: str, text: str, url: str = "") -> Notification:
    """Queue an in-app notification for ``user_id`` in the caller's transaction."""
    note = Notification(user_id=user_id, kind=kind, text=text[:500], url=url[:500])
    db.session.add(note)
    return note


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
    note = notify(user_id, kind, text, url)
    _queue_email(user_id, kind, email_text or text, url)
    return note


def queue_mail(to: str, subject: str, body: str, kind: str = "") -> OutboxMail:
    """Put one e-mail in the outbox (caller's transaction); ``flask forum send-mail`` delivers it.

    For account mail (password resets) that must go out whatever ``MAIL_URL`` says; the
    default console backend prints it, so nothing is lost without a mail server. ``kind`` (a
    notification kind) marks mail the member can unsubscribe from. The subject is kept to one
    line here already; the sender makes every header safe again (rows queued before this).
    """
    mail = OutboxMail(to=to[:254], subject=single_line(subject, 300), body=body, kind=kind[:60])
    db.session.add(mail)
    return mail


def wants_mail(user_id: int) -> bool:
    return db.session.get(MailOptOut, user_id) is None


def _queue_email(user_id: int, kind: str, text: str, url: str) -> None:
    if not current_app.config.get("MAIL_URL"):
        return
    spec = notification_kinds(current_app).get(kind)
    if spec is not None and not spec.email:
        return
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not user.email or not wants_mail(user_id):
        return
    link = absolute_url(url or site_path("series.home"))
    settings = absolute_url(site_path("notifications.email_settings"))
    body = (
        f"Hello {user.name},\n\n{text}\n\n{link}\n\n-- \n{EMAIL_FOOTER}\n"
        f"Change them or stop these e-mails: {settings}\n"
    )
    queue_mail(user.email, f"[Mentorship Forum] {text}", body, kind=kind)


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


def reader_state(user_id: int, characteristic_id: int | None) -> tuple[int, bool]:
    """The member's unread count and whether they watch the page's characteristic, in one
    statement per request (the menu and the thread's tabs both ask; a member's page has a budget
    of four statements, ``forum.pagecache.layer``)."""
    from flask import g  # (services also run outside requests: only this helper needs g)

    from forum.notifications.models import Watch

    key = (user_id, characteristic_id)
    memo = g.setdefault("_forum_reader_state", {})
    if key not in memo:
        watching = (
            select(Watch.user_id)
            .where(Watch.user_id == user_id, Watch.characteristic_id == characteristic_id)
            .exists()
        )
        count, watches = db.session.execute(
            select(_unread(user_id).scalar_subquery(), watching)
        ).one()
        memo[key] = (count, bool(watches))
    return memo[key]


def mark_read(user_id: int, note_id: int | None = None) -> int:
    """Mark one (or every) unread notice of ``user_id`` read; returns how many changed."""
    from forum.db import utcnow

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
