"""One search interface over two engines: SQLite FTS5 and PostgreSQL full-text search.

Callers never write engine syntax: a query is a list of plain word terms (see ``terms``), which
each backend quotes itself, so user input such as ``"``, ``*`` or ``NEAR(`` is only ever words.
Snippets come back with the marks ``\\x02``/``\\x03`` that ``forum.search.services`` turns into
``<mark>`` after escaping everything else.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, text

from forum.extensions import db
from forum.plugins.types import SearchDocument

MARK_START, MARK_END = "\x02", "\x03"
MAX_TERMS = 12
MAX_TERM_CHARS = 40
MAX_QUERY_CHARS = 500
_WORD = re.compile(r"\w+", re.UNICODE)
_MARKS = re.compile("[\x02\x03]")


def terms(query: str) -> list[str]:
    """The words of a user's query: no operators, bounded in count and length."""
    words = _WORD.findall((query or "")[:MAX_QUERY_CHARS])
    out: list[str] = []
    for word in words:
        word = word.replace("_", " ").strip()[:MAX_TERM_CHARS]
        if word and word.lower() not in out:
            out.append(word.lower())
    return out[:MAX_TERMS]


@dataclass(frozen=True)
class Filters:
    content_types: tuple[str, ...]
    characteristic_id: int | None = None
    author_id: int | None = None


@dataclass(frozen=True)
class Snippet:
    title: str
    body: str
    url: str = ""


def _naive(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt.replace(microsecond=0)


def _clean(value: str) -> str:
    return _MARKS.sub(" ", value or "")


class SearchBackend:
    """What every engine offers; all methods run in the caller's ``db.session`` transaction."""

    def upsert(self, doc: SearchDocument) -> None:
        raise NotImplementedError

    def insert_many(self, docs: list[SearchDocument]) -> None:
        """Add entries known to be absent (after ``clear()``) in one batched statement."""
        for doc in docs:
            self.upsert(doc)

    def remove(self, content_type: str, object_id: int) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def candidates(self, words: list[str], filters: Filters, now: datetime, limit: int):
        """``[(content_type, object_id), ...]`` best first, published by ``now``."""
        raise NotImplementedError

    def snippets(self, words: list[str], content_type: str, ids: list[int]) -> dict[int, Snippet]:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def _filter_sql(self, filters: Filters, params: dict) -> str:
        sql = " AND content_type IN :types AND published_at IS NOT NULL AND published_at <= :now"
        params["types"] = list(filters.content_types)
        if filters.characteristic_id is not None:
            sql += " AND characteristic_id = :cid"
            params["cid"] = filters.characteristic_id
        if filters.author_id is not None:
            sql += " AND author_id = :aid"
            params["aid"] = filters.author_id
        return sql


class SqliteBackend(SearchBackend):
    """FTS5 virtual table ``search_fts`` with bm25 ranking (title weighs more than body)."""

    table = "search_fts"
    _INSERT = text(
        "INSERT OR REPLACE INTO search_fts (rowid, title, body, content_type, object_id, "
        "characteristic_id, author_id, published_at, url) "
        "VALUES (:rowid, :title, :body, :ct, :oid, :cid, :aid, :pub, :url)"
    )

    @staticmethod
    def rowid(content_type: str, object_id: int) -> int | None:
        """A deterministic rowid for ``(content_type, object_id)``, so that replacing or deleting an
        entry is a rowid (b-tree) lookup instead of a scan of the whole FTS table (its columns are
        UNINDEXED). 31 bits of the type name's CRC above 32 bits of the id; None if the id is
        out of that range (such entries fall back to the slower scan)."""
        if not 0 <= object_id < 2**32:
            return None
        return ((zlib.crc32(content_type.encode()) & 0x7FFFFFFF) << 32) | object_id

    def _params(self, doc: SearchDocument) -> dict:
        published = _naive(doc.published_at or datetime.now(UTC))
        return {
            "rowid": self.rowid(doc.content_type, doc.object_id),
            "title": _clean(doc.title), "body": _clean(doc.body), "ct": doc.content_type,
            "oid": doc.object_id, "cid": doc.characteristic_id, "aid": doc.author_id,
            "pub": published.isoformat(sep=" "), "url": doc.url or "",
        }

    def upsert(self, doc: SearchDocument) -> None:
        params = self._params(doc)
        if params["rowid"] is None:
            self.remove(doc.content_type, doc.object_id)
        db.session.execute(self._INSERT, params)

    def insert_many(self, docs: list[SearchDocument]) -> None:
        if docs:
            db.session.execute(self._INSERT, [self._params(d) for d in docs])

    def remove(self, content_type: str, object_id: int) -> None:
        rowid = self.rowid(content_type, object_id)
        if rowid is not None:
            db.session.execute(text("DELETE FROM search_fts WHERE rowid = :rowid"), {"rowid": rowid})
            return
        db.session.execute(
            text("DELETE FROM search_fts WHERE content_type = :ct AND object_id = :oid"),
            {"ct": content_type, "oid": object_id},
        )

    def clear(self) -> None:
        db.session.execute(text("DELETE FROM search_fts"))

    @staticmethod
    def _match(words: list[str]) -> str:
        return " ".join(f'"{w}"' for w in words)

    #: Per type, only the newest this many matches are ranked: bm25 over every match of a common
    #: word (tens of thousands of rows) costs hundreds of milliseconds; this keeps a query bounded.
    RANK_WINDOW = 2000

    @classmethod
    def _type_range(cls, content_type: str) -> tuple[int, int]:
        low = cls.rowid(content_type, 0)
        return low, low + 2**32 - 1

    def candidates(self, words, filters, now, limit):
        q = self._match(words)
        found = []
        for content_type in filters.content_types:
            low, high = self._type_range(content_type)
            edge = db.session.execute(text(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH :q AND rowid BETWEEN :low AND :high "
                "ORDER BY rowid DESC LIMIT 1 OFFSET :skip"),
                {"q": q, "low": low, "high": high, "skip": self.RANK_WINDOW - 1}).scalar()
            params = {"q": q, "low": edge or low, "high": high, "now": _naive(now).isoformat(sep=" "),
                      "limit": limit}
            one = Filters((content_type,), filters.characteristic_id, filters.author_id)
            sql = ("SELECT content_type, object_id, bm25(search_fts, 5.0, 1.0) AS score, published_at "
                   "FROM search_fts WHERE search_fts MATCH :q AND rowid BETWEEN :low AND :high"
                   + self._filter_sql(one, params) + " ORDER BY score, published_at DESC LIMIT :limit")
            stmt = text(sql).bindparams(bindparam("types", expanding=True))
            found.extend(db.session.execute(stmt, params).all())
        found.sort(key=lambda r: r[3] or "", reverse=True)  # newest first among equal scores
        found.sort(key=lambda r: r[2])  # stable: best bm25 (lowest) first
        return [(ct, int(oid)) for ct, oid, _score, _pub in found[:limit]]

    def snippets(self, words, content_type, ids):
        stmt = text(
            "SELECT object_id, highlight(search_fts, 0, char(2), char(3)), "
            "snippet(search_fts, 1, char(2), char(3), '…', 24), url FROM search_fts "
            "WHERE search_fts MATCH :q AND rowid IN :rowids"
        ).bindparams(bindparam("rowids", expanding=True))
        rowids = [self.rowid(content_type, i) for i in ids]
        rows = db.session.execute(stmt, {"q": self._match(words), "rowids": [r for r in rowids if r is not None]})
        return {int(oid): Snippet(title, body, url or "") for oid, title, body, url in rows}

    def count(self) -> int:
        return db.session.execute(text("SELECT count(*) FROM search_fts")).scalar_one()


class PostgresBackend(SearchBackend):
    """Table ``search_fts_documents`` with a generated, GIN-indexed ``tsvector`` column; its
    primary key ``(content_type, object_id)`` makes an upsert one ``ON CONFLICT`` statement."""

    _UPSERT = text(
        "INSERT INTO search_fts_documents (content_type, object_id, title, body, url, "
        "characteristic_id, author_id, published_at) "
        "VALUES (:ct, :oid, :title, :body, :url, :cid, :aid, :pub) "
        "ON CONFLICT (content_type, object_id) DO UPDATE SET title = EXCLUDED.title, "
        "body = EXCLUDED.body, url = EXCLUDED.url, characteristic_id = EXCLUDED.characteristic_id, "
        "author_id = EXCLUDED.author_id, published_at = EXCLUDED.published_at"
    )

    @staticmethod
    def _params(doc: SearchDocument) -> dict:
        return {
            "title": _clean(doc.title), "body": _clean(doc.body), "ct": doc.content_type,
            "oid": doc.object_id, "cid": doc.characteristic_id, "aid": doc.author_id,
            "pub": _naive(doc.published_at or datetime.now(UTC)), "url": doc.url or "",
        }

    def upsert(self, doc: SearchDocument) -> None:
        db.session.execute(self._UPSERT, self._params(doc))

    def insert_many(self, docs: list[SearchDocument]) -> None:
        if docs:
            db.session.execute(self._UPSERT, [self._params(d) for d in docs])

    def remove(self, content_type: str, object_id: int) -> None:
        db.session.execute(
            text("DELETE FROM search_fts_documents WHERE content_type = :ct AND object_id = :oid"),
            {"ct": content_type, "oid": object_id},
        )

    def clear(self) -> None:
        db.session.execute(text("DELETE FROM search_fts_documents"))

    def candidates(self, words, filters, now, limit):
        params = {"q": " ".join(words), "now": _naive(now), "limit": limit}
        sql = ("SELECT content_type, object_id FROM search_fts_documents, "
               "plainto_tsquery('english', :q) AS query WHERE tsv @@ query"
               + self._filter_sql(filters, params)
               + " ORDER BY ts_rank_cd(tsv, query) DESC, published_at DESC LIMIT :limit")
        stmt = text(sql).bindparams(bindparam("types", expanding=True))
        return [(ct, int(oid)) for ct, oid in db.session.execute(stmt, params)]

    def snippets(self, words, content_type, ids):
        options = "StartSel=\x02, StopSel=\x03, MaxWords=40, MinWords=15, MaxFragments=2, FragmentDelimiter=…"
        stmt = text(
            "SELECT object_id, ts_headline('english', title, query, :opts_title), "
            "ts_headline('english', body, query, :opts), url "
            "FROM search_fts_documents, plainto_tsquery('english', :q) AS query "
            "WHERE content_type = :ct AND object_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        rows = db.session.execute(stmt, {
            "q": " ".join(words), "ct": content_type, "ids": ids, "opts": options,
            "opts_title": "StartSel=\x02, StopSel=\x03, HighlightAll=true",
        })
        return {int(oid): Snippet(title, body, url or "") for oid, title, body, url in rows}

    def count(self) -> int:
        return db.session.execute(text("SELECT count(*) FROM search_fts_documents")).scalar_one()


def backend() -> SearchBackend:
    """The engine for the app's database."""
    if db.engine.dialect.name == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
