"""Members' flags: one per member and target; enough trusted flags hide content until reviewed."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from forum.accounts import trust
from forum.accounts.models import User
from forum.audit import log as audit
from forum.db import utcnow
from forum.extensions import db
from forum.kernel.events import emit
from forum.kernel.locales import N_
from forum.kernel.settings import get_setting
from forum.kernel.types import ValidationError
from forum.moderation.errors import AlreadyFlagged
from forum.moderation.models import FLAG_REASONS, Flag
from forum.moderation.targets import kind_of
from forum.notifications.services import in_language_of, notify

AUTO_HIDE_REASON = "flagged by trusted members"

#: what each flagger is told, in their own language, once a moderator decided
OUTCOME_TEXT = {
    ("kept", "comment"): N_(
        "A moderator reviewed the comment you flagged and decided it can stay."
    ),
    ("kept", "part"): N_("A moderator reviewed the part you flagged and decided it can stay."),
    ("hidden", "comment"): N_("A moderator reviewed the comment you flagged and hid it."),
    ("hidden", "part"): N_("A moderator reviewed the part you flagged and hid it."),
    ("deleted", "comment"): N_("A moderator reviewed the comment you flagged and removed it."),
    ("deleted", "part"): N_("A moderator reviewed the part you flagged and removed it."),
}


def hide_threshold() -> int:
    default = current_app.config.get("FLAG_HIDE_THRESHOLD", 3)
    return int(get_setting("moderation.flag_hide_threshold", default))


def open_flags(obj) -> list[Flag]:
    return list(
        db.session.execute(
            select(Flag)
            .where(
                Flag.target_type == kind_of(obj),
                Flag.target_id == obj.id,
                Flag.resolved_at.is_(None),
            )
            .order_by(Flag.id)
        ).scalars()
    )


def flag_of(obj, user: User) -> Flag | None:
    """``user``'s flag on ``obj``, open or decided (a member flags each target once)."""
    return db.session.execute(
        select(Flag).where(
            Flag.target_type == kind_of(obj), Flag.target_id == obj.id, Flag.user_id == user.id
        )
    ).scalar_one_or_none()


def create_flag(obj, user: User, reason: str, note: str = "") -> Flag:
    """Record ``user``'s flag on ``obj`` (caller commits); may hide ``obj`` by the threshold rule."""
    kind = kind_of(obj)
    if reason not in FLAG_REASONS:
        raise ValidationError(gettext("Choose one of the listed reasons."), field="reason")
    if obj.author_id is not None and obj.author_id == user.id:
        raise ValidationError(gettext("You cannot flag your own writing."))
    if flag_of(obj, user) is not None:
        raise AlreadyFlagged("You have already flagged this; a moderator will look at it.")
    flag = Flag(
        target_type=kind, target_id=obj.id, user_id=user.id, reason=reason, note=(note or "")[:1000]
    )
    db.session.add(flag)
    db.session.flush()
    emit("content_flagged", content=obj, actor=user, reason=reason)
    _maybe_hide(obj)
    return flag


def _maybe_hide(obj) -> None:
    """Hide ``obj`` once K distinct trusted members have open flags on it (no human actor)."""
    if obj.hidden_at is not None:
        return
    flagger_ids = {f.user_id for f in open_flags(obj)}
    if len(flagger_ids) < hide_threshold():
        return
    flaggers = db.session.execute(select(User).where(User.id.in_(flagger_ids))).scalars()
    if sum(1 for u in flaggers if trust.is_trusted(u)) < hide_threshold():
        return
    kind = kind_of(obj)
    obj.hidden_at = utcnow()
    audit.record(
        f"{kind}.auto_hide",
        None,
        kind,
        obj.id,
        AUTO_HIDE_REASON,
        {"hidden_at": None},
        {"hidden_at": obj.hidden_at},
    )
    emit("content_hidden", content=obj, actor=None, reason=AUTO_HIDE_REASON)


def resolve_flags(obj, actor, outcome: str) -> list[Flag]:
    """Close the open flags on ``obj`` with ``outcome`` and tell each flagger (no content)."""

    flags = open_flags(obj)
    now = utcnow()
    message = OUTCOME_TEXT[outcome, kind_of(obj)]
    for flag in flags:
        flag.resolved_at = now
        flag.resolved_by_id = getattr(actor, "id", None)
        flag.outcome = outcome
    for user_id in sorted({f.user_id for f in flags}):
        with in_language_of(user_id):
            notify(user_id, "flag_outcome", gettext(message))
    return flags
