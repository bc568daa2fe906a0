"""The core content a moderator acts on: parts and comments, loaded through the visibility policy.

Only core types are listed here, so no moderation page can reach a plugin's private content.
"""

from __future__ import annotations

from flask import abort

from forum.discussion.models import Comment
from forum.extensions import db
from forum.series.models import Part

#: kind in URLs and flags -> model. Never extended with plugin types (see module docstring).
KINDS: dict[str, type] = {"part": Part, "comment": Comment}

CONTENT_FIELDS = ("status", "hidden_at", "deleted_at")


def model_for(kind: str) -> type:
    model = KINDS.get(kind)
    if model is None:
        abort(404)
    return model


def kind_of(obj) -> str:
    for kind, model in KINDS.items():
        if isinstance(obj, model):
            return kind
    raise TypeError(f"{type(obj).__name__} is not moderated content")


def load(kind: str, object_id: int):
    """The part or comment, as the current actor may see it; 404 when unknown or invisible."""
    obj = db.session.get(model_for(kind), object_id)
    if obj is None:
        abort(404)
    return obj


def label(obj) -> str:
    """A content-free description for notifications and headings ("comment #12")."""
    return f"{kind_of(obj)} #{obj.id}"
