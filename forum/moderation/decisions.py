"""Approve or reject one queue item, whatever its kind, through the owning services.

Parts and revisions go to ``forum.series.services``, comments to ``forum.discussion.services``
(they write the audit entry and emit the events); flagged content is kept or hidden here.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask import abort
from flask_babel import gettext

from forum.discussion.services import approve_comment, reject_comment
from forum.extensions import db
from forum.kernel.types import ValidationError
from forum.moderation import services
from forum.moderation.targets import KINDS
from forum.routing import MAX_ID
from forum.series.models import PartRevision
from forum.series.services import approve_part, approve_revision, reject_part, reject_revision

KEY_RE = re.compile(r"^(part|revision|comment|flagged:part|flagged:comment):([1-9][0-9]{0,9})$")


def parse_key(key: str) -> tuple[str, int]:
    """``"comment:12"`` -> ("comment", 12); ``"flagged:part:3"`` -> ("flagged:part", 3); else 400."""
    match = KEY_RE.match(key or "")
    if not match or int(match.group(2)) > MAX_ID:
        abort(400, description=gettext("Unknown queue item %(key)r.", key=key[:40]))
    return match.group(1), int(match.group(2))


def load_item(kind: str, item_id: int):
    """The object a key names, through the visibility policy; None when it no longer exists."""
    if kind == "revision":
        return db.session.get(PartRevision, item_id)
    model = KINDS[kind.removeprefix("flagged:")]
    return db.session.get(model, item_id)


def approve(kind: str, obj, actor, publish_at: datetime | None = None) -> bool:
    """Approve (publish) a pending item, or keep flagged content. False if nothing changed."""
    if kind == "part":
        if publish_at is None and obj.publish_at is not None and obj.status != "approved":
            publish_at = obj.publish_at  # a date planned with the invitation stays
        return approve_part(obj, actor, publish_at)
    if kind == "revision":
        return approve_revision(obj, actor)
    if kind == "comment":
        return _changed(approve_comment(obj, actor))
    services.keep(obj, actor)
    return True


def reject(kind: str, obj, actor, reason: str) -> bool:
    """Reject a pending item with ``reason`` (its author sees it), or hide flagged content."""
    if not (reason or "").strip():
        raise ValidationError(gettext("Give a reason; the author will read it."), field="reason")
    if kind == "part":
        return reject_part(obj, actor, reason)
    if kind == "revision":
        return reject_revision(obj, actor, reason)
    if kind == "comment":
        return _changed(reject_comment(obj, actor, reason))
    services.hide(obj, actor, reason)
    return True


def _changed(result) -> bool:
    return True if result is None else bool(result)
