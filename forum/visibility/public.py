""" "Can the public see it?": the policy asked as the anonymous reader, for search, notifications
and the page cache alike."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.kernel.types import ContentType
from forum.visibility.actor import as_actor
from forum.visibility.policy import content_type_for


def public_ids(ct: ContentType, ids) -> set[int]:
    """Which of ``ids`` (of type ``ct``) the anonymous reader may see now: one query."""
    ids = list(ids)
    if not ids or not ct.is_public:
        return set()
    pk = ct.model.id
    with as_actor(None):
        return set(db.session.execute(select(pk).where(pk.in_(ids))).scalars())


def is_public(obj) -> bool:
    """Can the anonymous reader see ``obj`` right now?"""
    ct = content_type_for(type(obj))
    return ct is not None and obj.id in public_ids(ct, [obj.id])
