"""Trust: a member's comments skip review after N approved comments and no rejection.

Kept with the accounts whose counts and override it reads; moderation and discussion use it.
"""

from __future__ import annotations

from flask import current_app

from forum.kernel.settings import get_setting
from forum.visibility.permissions import can


def threshold() -> int:
    return int(
        get_setting("moderation.trust_threshold", current_app.config.get("TRUST_THRESHOLD", 3))
    )


def is_trusted(user) -> bool:
    """Staff and experts are trusted; a moderator's manual grant or withdrawal wins over counts."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if can("trust.automatic", actor=user):
        return True
    if user.trusted_override is not None:
        return bool(user.trusted_override)
    return user.rejected_comment_count == 0 and user.approved_comment_count >= threshold()


def on_comment_decided(user, approved: bool) -> None:
    """Count a moderator's decision on one of ``user``'s comments (call inside the transaction)."""
    if user is None:
        return
    if approved:
        user.approved_comment_count = (user.approved_comment_count or 0) + 1
    else:
        user.rejected_comment_count = (user.rejected_comment_count or 0) + 1
