"""The audit log: one append-only entry per moderator or admin action, with no private content."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.kernel.events import emit


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit entry."""


def record(
    action: str,
    actor,
    target_type: str,
    target_id: int | None,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one audit entry in the caller's transaction and fire ``moderation_action`` after commit.

    ``before``/``after`` hold state (status, flags, dates), never bodies of content.
    """
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason or "",
        before=_jsonable(before),
        after=_jsonable(after),
    )
    db.session.add(entry)
    emit(
        "moderation_action",
        action=action,
        actor=actor,
        target_type=target_type,
        target_id=target_id,
        reason=reason or "",
    )
    return entry


def snapshot(obj, *fields: str) -> dict[str, Any]:
    """The named attributes of ``obj`` as JSON-ready state for ``before``/``after``."""
    return {name: getattr(obj, name) for name in fields}


def _jsonable(state: dict[str, Any] | None) -> dict[str, Any] | None:
    if state is None:
        return None
    out = {}
    for key, value in state.items():
        if isinstance(value, (datetime, date)):
            value = (
                value.isoformat(timespec="seconds")
                if isinstance(value, datetime)
                else value.isoformat()
            )
        out[key] = value
    return out


# --- append-only guard: the application can add entries, never change or remove them -------


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper, _connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {target.id} cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper, _connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {target.id} cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk(state) -> None:
    """ORM ``update(AuditEntry)`` / ``delete(AuditEntry)`` statements are refused too."""
    if (state.is_update or state.is_delete) and any(
        m.class_ is AuditEntry for m in state.all_mappers
    ):
        raise AuditLogIsAppendOnly("the audit log is append-only")
