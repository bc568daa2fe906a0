"""One visibility policy for listings, pages, search, feeds, the API and exports."""

from forum.visibility.actor import ANONYMOUS, SYSTEM, Anonymous, as_actor, current_actor
from forum.visibility.policy import (
    bypass,
    content_type_for,
    registry,
    sees_public_plus_own,
    visibility_clause,
    visible,
)
from forum.visibility.public import is_public, public_ids

__all__ = [
    "ANONYMOUS",
    "SYSTEM",
    "Anonymous",
    "as_actor",
    "bypass",
    "content_type_for",
    "current_actor",
    "is_public",
    "public_ids",
    "registry",
    "sees_public_plus_own",
    "visibility_clause",
    "visible",
]
