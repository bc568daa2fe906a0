"""Comment logic: create, edit, delete, and the moderator's decisions. Callers commit.

Members whom ``forum.accounts.trust`` trusts are published at once; everyone else (and every
guest) waits as ``pending``. Each moderator decision writes one audit entry, updates the
author's trust counters and emits its event after commit.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, has_request_context
from flask_babel import get_locale, gettext
from werkzeug.exceptions import Forbidden

from forum.accounts import trust
from forum.accounts.models import User
from forum.audit import log as audit
from forum.content.formats import render_body
from forum.db import lock_for_decision, utcnow
from forum.discussion.models import Comment, CommentStatus
from forum.extensions import db
from forum.kernel.events import emit
from forum.kernel.hooks import hook
from forum.kernel.types import ValidationError
from forum.visibility.permissions import can

MAX_GUEST_NAME = 80


def _authenticated(actor) -> bool:
    return (
        bool(getattr(actor, "is_authenticated", False)) and getattr(actor, "id", None) is not None
    )


def is_staff(actor) -> bool:
    """Staff may delete and see any comment."""
    return _authenticated(actor) and can("content.see_all", actor=actor)


def _page_language() -> str | None:
    """A guest writes in the language of the page they wrote on (they have no setting)."""
    return str(get_locale() or "") or None if has_request_context() else None


def create_comment(
    characteristic, actor, body, format="markdown", reply_to=None, guest_name=None, guest_email=None
) -> Comment:
    """Add a comment to ``characteristic``'s thread as ``actor`` (a User, or anonymous for guests).

    Trusted members are approved at once; untrusted members and guests (who must give a name
    and an e-mail, never shown) wait as pending. A locked thread or an actor without
    ``comment.create`` (e.g. suspended) is refused with 403. ``reply_to`` must be a comment of
    the same thread that the actor can see. Emits ``content_created``, and ``content_published``
    when the comment is public at once.
    """
    if characteristic.locked:
        raise Forbidden("This discussion is locked; no new comments.")
    member = _authenticated(actor)
    if member and not can("comment.create", characteristic, actor=actor):
        raise Forbidden("Your account may not comment at the moment.")
    if not member:
        guest_name = (guest_name or "").strip()
        guest_email = (guest_email or "").strip()
        if not guest_name or len(guest_name) > MAX_GUEST_NAME:
            raise ValidationError(
                gettext("Give a display name (at most 80 characters)."), field="guest_name"
            )
        if "@" not in guest_email or len(guest_email) > 254:
            raise ValidationError(
                gettext("Give an e-mail address; it is never shown."), field="guest_email"
            )
    if reply_to is not None and reply_to.characteristic_id != characteristic.id:
        raise ValidationError(
            gettext("You can only reply to a comment of the same discussion."), field="reply_to"
        )
    if not (body or "").strip():
        raise ValidationError(gettext("Write something first."), field="body")
    comment = Comment(
        characteristic_id=characteristic.id,
        author_id=actor.id if member else None,
        guest_name=None if member else guest_name,
        guest_email=None if member else guest_email,
        reply_to_id=reply_to.id if reply_to is not None else None,
        language=getattr(actor, "locale", None) if member else _page_language(),
        body_format=format or "markdown",
        body_source=body,
        body_html=render_body(format or "markdown", body, "comment"),
        status=CommentStatus.APPROVED
        if member and trust.is_trusted(actor)
        else CommentStatus.PENDING,
    )
    hook.before_content_saved(content=comment, actor=actor, action="created")
    db.session.add(comment)
    db.session.flush()
    emit("content_created", content=comment, actor=actor)
    if comment.status == CommentStatus.APPROVED:
        emit("content_published", content=comment)
    else:
        emit("content_submitted", content=comment, actor=actor)
    return comment


def edit_window() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("COMMENT_EDIT_WINDOW_MINUTES", 30)))


def edit_window_minutes() -> int:
    return int(edit_window().total_seconds() // 60)


def edit_minutes_left(comment: Comment) -> int:
    """Whole minutes (rounded up) the author may still edit ``comment``; 0 once the window has
    closed, so the page stops offering Edit."""
    if comment.deleted_at is not None or comment.hidden_at is not None:
        return 0
    left = comment.created_at + edit_window() - utcnow()
    return max(0, -int(-left.total_seconds() // 60))


def can_edit(comment: Comment, actor) -> bool:
    """The author, within the edit window, while the comment is not deleted or hidden."""
    return (
        _authenticated(actor)
        and comment.author_id == actor.id
        and comment.deleted_at is None
        and comment.hidden_at is None
        and utcnow() - comment.created_at <= edit_window()
        and can("comment.edit", comment, actor=actor)
    )


def edit_comment(comment: Comment, actor, body, format=None) -> Comment:
    """Change the author's own comment within ``COMMENT_EDIT_WINDOW_MINUTES`` (403 otherwise).

    An untrusted member's edit of an approved comment goes back to review.
    """
    if not can_edit(comment, actor):
        raise Forbidden("You can edit your own comment only for a short while after posting it.")
    if not (body or "").strip():
        raise ValidationError(gettext("Write something first."), field="body")
    fmt = format or comment.body_format
    comment.body_format, comment.body_source = fmt, body
    hook.before_content_saved(content=comment, actor=actor, action="edited")
    comment.body_html = render_body(fmt, body, "comment")
    comment.edited_at = utcnow()
    if comment.status == CommentStatus.APPROVED and not trust.is_trusted(actor):
        comment.status = CommentStatus.PENDING
        emit("content_submitted", content=comment, actor=actor)
    return comment


def delete_comment(comment: Comment, actor, reason: str = "") -> bool:
    """Soft-delete: the author may delete their own; a moderator anyone's (audited). Idempotent."""
    own = _authenticated(actor) and comment.author_id == actor.id
    if not own and not is_staff(actor):
        raise Forbidden("You can only delete your own comments.")
    if comment.deleted_at is not None:
        return False
    comment.deleted_at = utcnow()
    if not own:
        audit.record(
            "comment.delete",
            actor,
            "comment",
            comment.id,
            reason,
            {"deleted": False},
            {"deleted": True},
        )
    emit("content_deleted", content=comment, actor=actor)
    return True


def _author(comment: Comment):
    if comment.author_id is None:
        return None

    return db.session.get(User, comment.author_id)


def approve_comment(comment: Comment, actor) -> bool:
    """Publish a pending (or rejected) comment. Idempotent: False when already approved.

    Counts towards the author's trust, writes one audit entry, emits ``content_approved`` and
    ``content_published``.
    """
    lock_for_decision(comment)
    if comment.status == CommentStatus.APPROVED:
        return False
    before = {"status": comment.status}
    comment.status = CommentStatus.APPROVED
    comment.rejection_reason = None
    trust.on_comment_decided(_author(comment), True)
    audit.record(
        "comment.approve",
        actor,
        "comment",
        comment.id,
        "",
        before,
        {"status": CommentStatus.APPROVED},
    )
    emit("content_approved", content=comment, actor=actor)
    if comment.hidden_at is None and comment.deleted_at is None:
        emit("content_published", content=comment)
    return True


def reject_comment(comment: Comment, actor, reason: str) -> bool:
    """Refuse a comment with ``reason``. Idempotent: False when already rejected.

    Counts against the author's trust, writes one audit entry, emits ``content_rejected``.
    """
    lock_for_decision(comment)
    if comment.status == CommentStatus.REJECTED:
        return False
    before = {"status": comment.status}
    comment.status = CommentStatus.REJECTED
    comment.rejection_reason = (reason or "").strip() or None
    trust.on_comment_decided(_author(comment), False)
    audit.record(
        "comment.reject",
        actor,
        "comment",
        comment.id,
        reason or "",
        before,
        {"status": CommentStatus.REJECTED},
    )
    emit("content_rejected", content=comment, actor=actor, reason=reason or "")
    return True
