"""Keeping the search index current, and asking it.

Only content the *anonymous* reader may see (through the visibility policy) is indexed, plus
approved parts waiting for their publish date (the query keeps those out until then). Queries
still pass the policy: every hit is loaded back through the ORM as the current actor, so a stale
index entry can never show something the reader may not see.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil

from flask import has_request_context, request
from markupsafe import Markup, escape
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from forum.db import utcnow
from forum.extensions import db
from forum.kernel.hooks import hook
from forum.kernel.types import ContentType, SearchDocument, SearchSource
from forum.pagecache.invalidation import touch
from forum.pagecache.versioned import cached
from forum.search.backends import MARK_END, MARK_START, Filters, Ranking, backend, terms
from forum.search.presenting import present_all
from forum.visibility import (
    as_actor,
    bypass,
    content_type_for,
    current_actor,
    public_ids,
    registry,
    sees_public_plus_own,
)
from forum.visibility.policy import actor_key

log = logging.getLogger("forum.search")

MAX_CANDIDATES = 1000
PER_PAGE = 10


# --- what may be indexed ------------------------------------------------------------------------


def searchable_types() -> dict[str, ContentType]:
    """Registered types that may reach the index: searchable and public."""
    return {name: ct for name, ct in registry().items() if ct.searchable and ct.is_public}


def _sources() -> dict[str, SearchSource]:
    """Every ``register_search_sources`` answer, core's parts and comments included."""
    out = {}
    for result in hook.register_search_sources():
        for source in result or []:
            out[source.content_type] = source
    return out


def _document(source: SearchSource | None, obj) -> SearchDocument | None:
    if source is None:
        return None
    if source.document is not None:
        return source.document(obj)
    with as_actor(None):
        documents = source.documents_for([obj.id]) if source.documents_for else source.documents()
        return next((d for d in documents if d.object_id == obj.id), None)


def _indexed_early(source: SearchSource | None, obj) -> bool:
    return bool(
        source is not None and source.indexed_early is not None and source.indexed_early(obj)
    )


def _excluded(ct: ContentType, obj) -> bool:
    return bool(hook.search_exclude(content_type=ct, obj=obj))


def index_object(obj) -> bool:
    """Add, refresh or drop ``obj``'s entry; True when it is in the index afterwards."""
    ct = content_type_for(type(obj))
    if ct is None or ct.name not in searchable_types():
        return False
    engine = backend()
    touch(db.session())  # the entry changes (or goes) whatever happens: cached results must follow
    source = _sources().get(ct.name)
    public = obj.id in public_ids(ct, [obj.id]) or _indexed_early(source, obj)
    if not public or _excluded(ct, obj):
        engine.remove(ct.name, obj.id)
        return False
    doc = _document(source, obj)
    if doc is None:
        engine.remove(ct.name, obj.id)
        return False
    engine.upsert(doc)
    return True


def remove_object(obj) -> None:
    ct = content_type_for(type(obj))
    if ct is not None:
        touch(db.session())
        backend().remove(ct.name, obj.id)


REINDEX_BATCH = 2000


def _all_publicly_visible(ct: ContentType) -> set[int]:
    """Every id of ``ct`` the anonymous reader may see now (one query, no huge IN list)."""
    with as_actor(None):
        return set(db.session.execute(select(ct.model.id)).scalars())


def reindex() -> dict[str, int]:
    """Rebuild the whole index from the database; returns how many entries each type got.

    Entries are written in batches (one executemany each) after a single ``clear()``: no per-row
    delete, so rebuilding 100,000 comments is linear."""
    engine = backend()
    touch(db.session())
    engine.clear()
    counts: dict[str, int] = {}
    types = searchable_types()
    batch: list[SearchDocument] = []

    def add(doc: SearchDocument, name: str) -> None:
        batch.append(doc)
        counts[name] += 1
        if len(batch) >= REINDEX_BATCH:
            engine.insert_many(batch)
            batch.clear()

    sources = _sources()
    # row-built sources (core's large tables) first, then the others, each in the hook's order
    for name in sorted(sources, key=lambda n: sources[n].document is None):
        ct = types.get(name)
        if ct is None:
            continue
        counts[name] = 0
        documents = _documents_from_rows if sources[name].document else _documents_from_source
        for doc in documents(ct, sources[name]):
            add(doc, name)
    engine.insert_many(batch)
    engine.rebuilt(sorted({types[name].model.__table__.name for name in counts}))
    return counts


def _documents_from_rows(ct: ContentType, source: SearchSource) -> Iterator[SearchDocument]:
    """Streams every row of ``ct`` (in batches) and builds the documents of the public ones."""
    visible = _all_publicly_visible(ct)
    rows = db.session.execute(
        select(ct.model).execution_options(
            **bypass(ct.owner, "search reindex: every row is re-checked"), yield_per=REINDEX_BATCH
        )
    ).scalars()
    for row in rows:
        if (row.id in visible or _indexed_early(source, row)) and not _excluded(ct, row):
            yield source.document(row)


def _documents_from_source(ct: ContentType, source: SearchSource) -> Iterator[SearchDocument]:
    """The source's documents, as the anonymous reader sees them, re-checked by the policy."""
    with as_actor(None):
        docs = list(source.documents())
    visible = public_ids(ct, [d.object_id for d in docs])
    objects = {o.id: o for o in _load(ct, visible)}
    for doc in docs:
        obj = objects.get(doc.object_id)
        if obj is not None and not _excluded(ct, obj):
            yield doc


def _load(ct: ContentType, ids) -> list:
    ids = list(ids)
    if not ids:
        return []
    return list(db.session.execute(select(ct.model).where(ct.model.id.in_(ids))).scalars())


# --- asking the index ---------------------------------------------------------------------------


@dataclass
class Results:
    query: str
    words: list[str]
    hits: list
    total: int
    page: int
    per_page: int
    more: bool = False  # more matches exist than ``total``: shown as "1,000+"

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))


def highlight(marked: str) -> Markup:
    """Escape everything, then turn the backend's marks into ``<mark>``: the only HTML we add."""
    safe = str(escape(marked or ""))
    opened = safe.count(MARK_START)
    safe = safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    safe += "</mark>" * max(0, opened - (marked or "").count(MARK_END))
    return Markup(safe)


_RANKINGS = "forum.search.rankings"
#: Per worker and content version: the index's candidates, and what the public may see of them
#: (an entry holds up to MAX_CANDIDATES keys, ~94 kB: 60 entries stay under 6 MB a worker)
SHARED_RANKINGS, SHARED_LIMIT = "forum.search.shared_rankings", 60


def visible_ranking(query: str, filters: Filters) -> Ranking:
    """Ranked ``(type, id)`` hits that the *current* actor may see (policy applied via the ORM).

    Kept for the rest of the request: the page and the API ask once for the count and again
    for the page's hits."""
    words = terms(query)
    if not words or not filters.content_types:
        return Ranking([])
    memo = request.environ.setdefault(_RANKINGS, {}) if has_request_context() else {}
    actor = current_actor()
    # the actor as the policy keys its clauses: the same key means the same visibility rules
    key = (tuple(words), filters, actor_key(actor))
    if key not in memo:
        memo[key] = _ranking(words, filters, actor)
    return memo[key]


def _ranking(words: list[str], filters: Filters, actor) -> Ranking:
    """The index only holds what the public may see, so the index's candidates are the same for
    every reader until content changes (shared per content version), and so is the public's part
    of them, for every reader who sees the public rows plus their own: anonymous and most members.
    Anyone else (staff, a plugin's extra rule) has the candidates checked against their own rules."""

    key = (tuple(words), filters)
    found = cached(
        SHARED_RANKINGS,
        ("index",) + key,
        lambda: backend().candidates(words, filters, utcnow(), MAX_CANDIDATES),
        SHARED_LIMIT,
    )
    types = registry()
    if not all(
        sees_public_plus_own(actor, types[name])
        for name in {k[0] for k in found.keys}
        if name in types
    ):
        return _allowed_part(found)
    return cached(SHARED_RANKINGS, ("public",) + key, lambda: _public_part(found), SHARED_LIMIT)


def _allowed_part(found: Ranking) -> Ranking:
    """``found`` as far as the current actor may see it, in rank order."""
    allowed = _visible(found.keys)
    return Ranking([k for k in found.keys if k in allowed], found.more)


def _public_part(found: Ranking) -> Ranking:
    with as_actor(None):
        return _allowed_part(found)


def _visible(keys: list[tuple[str, int]]) -> set[tuple[str, int]]:
    """Which of ``keys`` the current actor may see: one policy-filtered query per type."""
    by_type: dict[str, list[int]] = {}
    for name, oid in keys:
        by_type.setdefault(name, []).append(oid)
    types, engine = registry(), backend()
    allowed = set()
    for name, ids in by_type.items():
        ct = types.get(name)
        if ct is None:
            continue
        pk = ct.model.id
        allowed |= {
            (name, i) for i in db.session.execute(select(pk).where(engine.id_in(pk, ids))).scalars()
        }
    return allowed


def visible_candidates(query: str, filters: Filters) -> list[tuple[str, int]]:
    """The keys of ``visible_ranking``."""
    return visible_ranking(query, filters).keys


def search(
    query: str,
    filters: Filters,
    page: int = 1,
    per_page: int = PER_PAGE,
    keys: list[tuple[str, int]] | None = None,
) -> Results:
    """One page of ranked, highlighted hits (``keys``: ``visible_candidates`` already computed;
    within a request the ranking is computed once either way)."""
    ranking = visible_ranking(query, filters)
    if keys is None:
        keys = ranking.keys
    words = terms(query)
    window = keys[(page - 1) * per_page : page * per_page]
    return Results(query, words, _hits(words, window), len(keys), page, per_page, ranking.more)


def _hits(words: list[str], keys: list[tuple[str, int]]) -> list:
    types = registry()
    engine = backend()
    by_type: dict[str, list[int]] = {}
    for name, oid in keys:
        by_type.setdefault(name, []).append(oid)
    objects, snippets = {}, {}
    for name, ids in by_type.items():
        for obj in _load(types[name], ids):
            objects[(name, obj.id)] = obj
        for oid, snip in engine.snippets(words, name, ids).items():
            snippets[(name, oid)] = snip
    items = [(types[k[0]], objects[k], snippets[k]) for k in keys if k in objects and k in snippets]
    return present_all(items, highlight)


# --- edits that fire no lifecycle event -----------------------------------------------------

_DIRTY = "forum_search_dirty"
_READY = "forum_search_ready"


def refresh_after_commit(obj) -> None:
    """Re-check ``obj`` once the current transaction commits (edits emit no lifecycle event)."""
    db.session().info.setdefault(_DIRTY, []).append(obj)


def _on_commit(session) -> None:
    dirty = session.info.pop(_DIRTY, [])
    if dirty:
        session.info.setdefault(_READY, []).extend(dirty)


def _on_end(session, transaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return
    ready = session.info.pop(_READY, [])
    for obj in ready:
        index_object(obj)
    if ready:
        session.commit()


def install() -> None:
    """Attach the edit listeners to every ORM Session (idempotent)."""

    if not event.contains(Session, "after_commit", _on_commit):
        event.listen(Session, "after_commit", _on_commit)
        event.listen(Session, "after_transaction_end", _on_end)
        event.listen(Session, "after_soft_rollback", lambda s, _t: s.info.pop(_DIRTY, None))
