"""One visibility policy for listings, pages, search, feeds, the API and exports."""

from forum.visibility.actor import ANONYMOUS, SYSTEM, Anonymous, as_actor, current_actor
from forum.visibility.policy import bypass, content_type_for, registry, visibility_clause

__all__ = [
    "ANONYMOUS",
    "SYSTEM",
    "Anonymous",
    "as_actor",
    "bypass",
    "content_type_for",
    "current_actor",
    "registry",
    "visibility_clause",
]
