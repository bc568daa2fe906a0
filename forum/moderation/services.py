"""Moderator actions: each checks its state transition, changes state, writes one audit entry.

Callers commit. Every function raises ``InvalidTransition`` (answered 409) when the target is
not in a state the action applies to, so a double click or a stale page changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext

from forum.accounts.models import User
from forum.audit import log as audit
from forum.content.formats import render_body
from forum.db import utcnow
from forum.kernel.events import emit
from forum.kernel.types import ValidationError
from forum.moderation.errors import InvalidTransition
from forum.moderation.flags import resolve_flags
from forum.moderation.targets import CONTENT_FIELDS, kind_of
from forum.series.models import Characteristic
from forum.visibility.permissions import can

USER_FIELDS = ("suspended_until", "suspension_reason", "trusted_override")


def _require_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(gettext("Please give a reason."), field="reason")
    return reason


# --- content: hide / unhide, delete / restore, keep (dismiss flags) --------------------------


def _content_action(obj, actor, verb: str, reason: str, change) -> None:
    kind = kind_of(obj)
    before = audit.snapshot(obj, *CONTENT_FIELDS)
    change()
    audit.record(
        f"{kind}.{verb}", actor, kind, obj.id, reason, before, audit.snapshot(obj, *CONTENT_FIELDS)
    )


def hide(obj, actor, reason: str) -> None:
    """Hide content from everyone but its author and staff; open flags on it are upheld.

    Content the flags already hid can be "hidden" again: that is the moderator upholding them.
    """
    reason = _require_reason(reason)
    was_visible = obj.hidden_at is None

    def change():
        upheld = resolve_flags(obj, actor, "hidden")
        if not was_visible and not upheld:
            raise InvalidTransition("This is already hidden.")
        obj.hidden_at = obj.hidden_at or utcnow()

    _content_action(obj, actor, "hide", reason, change)
    if was_visible:
        emit("content_hidden", content=obj, actor=actor, reason=reason)


def unhide(obj, actor, reason: str = "") -> None:
    if obj.hidden_at is None:
        raise InvalidTransition("This is not hidden.")
    _content_action(obj, actor, "unhide", reason, lambda: setattr(obj, "hidden_at", None))


def delete(obj, actor, reason: str) -> None:
    """Soft-delete: gone for everyone but staff, restorable; open flags on it are upheld."""
    reason = _require_reason(reason)
    if obj.deleted_at is not None:
        raise InvalidTransition("This is already deleted.")

    def change():
        obj.deleted_at = utcnow()
        resolve_flags(obj, actor, "deleted")

    _content_action(obj, actor, "delete", reason, change)
    emit("content_deleted", content=obj, actor=actor)


def restore(obj, actor, reason: str = "") -> None:
    if obj.deleted_at is None:
        raise InvalidTransition("This is not deleted.")
    _content_action(obj, actor, "restore", reason, lambda: setattr(obj, "deleted_at", None))


def keep(obj, actor, reason: str = "") -> None:
    """Decide flagged content is fine: close its flags and lift a hide the flags caused."""

    def change():
        if not resolve_flags(obj, actor, "kept"):
            raise InvalidTransition("This has no open flags.")
        obj.hidden_at = None

    _content_action(obj, actor, "keep", reason, change)


# --- threads ------------------------------------------------------------------------------------


def set_locked(characteristic: Characteristic, actor, locked: bool, reason: str = "") -> None:
    """Lock a characteristic's thread against new comments, or open it again."""
    if bool(characteristic.locked) == locked:
        raise InvalidTransition(
            "The thread is already locked." if locked else "The thread is not locked."
        )
    before = {"locked": bool(characteristic.locked)}
    characteristic.locked = locked
    audit.record(
        "characteristic.lock" if locked else "characteristic.unlock",
        actor,
        "characteristic",
        characteristic.id,
        reason,
        before,
        {"locked": locked},
    )


# --- users: suspension and trust -------------------------------------------------------------


def check_can_moderate_user(user: User, actor) -> None:
    """Nobody acts on their own account; only admins act on staff accounts."""
    if user.id == getattr(actor, "id", None):
        raise ValidationError(gettext("You cannot do this to your own account."))
    if user.is_staff and not can("users.moderate_staff", actor=actor):
        raise ValidationError(gettext("Only an admin can do this to a moderator or admin."))


def _user_action(user: User, actor, action: str, reason: str, change) -> None:
    check_can_moderate_user(user, actor)
    before = audit.snapshot(user, *USER_FIELDS)
    change()
    audit.record(action, actor, "user", user.id, reason, before, audit.snapshot(user, *USER_FIELDS))


def suspend(user: User, actor, until: datetime, reason: str) -> None:
    """Suspend until ``until`` (aware UTC): the user reads but cannot write, and sees why."""
    reason = _require_reason(reason)
    if until <= utcnow():
        raise ValidationError(
            gettext("The end of a suspension must be in the future."), field="until"
        )

    def change():
        user.suspended_until = until
        user.suspension_reason = reason

    _user_action(user, actor, "user.suspend", reason, change)


def lift_suspension(user: User, actor, reason: str = "") -> None:
    if not user.is_suspended:
        raise InvalidTransition("This account is not suspended.")

    def change():
        user.suspended_until = None
        user.suspension_reason = None

    _user_action(user, actor, "user.unsuspend", reason, change)


TRUST_ACTIONS = {
    True: "user.trust_grant",
    False: "user.trust_withdraw",
    None: "user.trust_automatic",
}


def set_trust(user: User, actor, value: bool | None, reason: str = "") -> None:
    """Grant (True) or withdraw (False) trust by hand, or return to the automatic rule (None)."""
    if user.trusted_override is value:
        raise InvalidTransition("Trust is already set that way.")
    _user_action(
        user, actor, TRUST_ACTIONS[value], reason, lambda: setattr(user, "trusted_override", value)
    )


# --- comments: a moderator's edit before approving ------------------------------------------


def edit_comment_for_review(comment, actor, body: str, reason: str = "") -> None:
    """A moderator corrects a comment's Markdown (e.g. removes a phone number) before deciding.

    The audit entry records that the text changed and its length, never the text itself.
    """

    if not (body or "").strip():
        raise ValidationError(gettext("The comment cannot be empty."), field="body")
    if comment.deleted_at is not None:
        raise InvalidTransition("This comment is deleted.")
    before = {"length": len(comment.body_source or ""), "edited_at": comment.edited_at}
    comment.body_html = render_body(comment.body_format or "markdown", body, "comment")
    comment.body_source = body
    comment.edited_at = utcnow()
    audit.record(
        "comment.moderator_edit",
        actor,
        "comment",
        comment.id,
        reason,
        before,
        {"length": len(body), "edited_at": comment.edited_at},
    )
