"""Parts in the search index: core reaches search through ``register_search_sources`` too."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from forum.content import plain_text
from forum.db import utcnow
from forum.extensions import db
from forum.kernel.types import SearchDocument
from forum.series.models import Part, PartStatus


def part_document(part: Part) -> SearchDocument:
    return SearchDocument(
        "part",
        part.id,
        part.title,
        plain_text(part.body_html),
        url="",
        characteristic_id=part.characteristic_id,
        author_id=part.author_id,
        published_at=part.publish_at,
        language=part.language,
    )


def part_documents(ids: list[int] | None = None) -> Iterator[SearchDocument]:
    """The documents of the parts the current actor sees (of ``ids`` when given)."""
    stmt = select(Part) if ids is None else select(Part).where(Part.id.in_(ids))
    return (part_document(part) for part in db.session.execute(stmt).scalars())


def is_scheduled(part: Part) -> bool:
    """An approved part whose publish date is still ahead: indexed now, found from that date."""
    return (
        part.status == PartStatus.APPROVED
        and part.publish_at is not None
        and part.publish_at > utcnow()
        and part.hidden_at is None
        and part.deleted_at is None
    )
