"""The audit log: one append-only entry per moderator or admin action, with no private content."""

from __future__ import annotations

from typing import Any

from forum.events import emit
from forum.extensions import db
from forum.moderation.models import AuditEntry


def record(action: str, actor, target_type: str, target_id: int | None, reason: str = "",
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> AuditEntry:
    """Add one audit entry in the caller's transaction and fire ``moderation_action`` after commit.

    ``before``/``after`` hold state (status, flags, dates), never bodies of content.
    """
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason or "",
        before=before,
        after=after,
    )
    db.session.add(entry)
    emit("moderation_action", action=action, actor=actor, target_type=target_type,
         target_id=target_id, reason=reason or "")
    return entry
