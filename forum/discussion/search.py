"""Comments in the search index: core reaches search through ``register_search_sources`` too."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from forum.content import plain_text
from forum.discussion.models import Comment
from forum.extensions import db
from forum.kernel.types import SearchDocument


def comment_document(comment: Comment) -> SearchDocument:
    """A guest comment is titled with the guest's name; a member's comment has no title."""
    author = comment.display_author if comment.author_id is None else ""
    return SearchDocument(
        "comment",
        comment.id,
        author,
        plain_text(comment.body_html),
        url="",
        characteristic_id=comment.characteristic_id,
        author_id=comment.author_id,
        published_at=comment.created_at,
        language=comment.language,
    )


def comment_documents(ids: list[int] | None = None) -> Iterator[SearchDocument]:
    """The documents of the comments the current actor sees (of ``ids`` when given)."""
    stmt = select(Comment) if ids is None else select(Comment).where(Comment.id.in_(ids))
    return (comment_document(comment) for comment in db.session.execute(stmt).scalars())
