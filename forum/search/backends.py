"""One search interface over two engines: SQLite FTS5 and PostgreSQL full-text search.

Callers never write engine syntax: a query is a list of plain word terms (see ``terms``), which
each backend quotes itself, so user input such as ``"``, ``*`` or ``NEAR(`` is only ever words.
Snippets come back with the marks ``\\x02``/``\\x03`` that ``forum.search.services`` turns into
``<mark>`` after escaping everything else.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from sqlalchemy import any_, bindparam, cast, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY

from forum.extensions import db
from forum.kernel.types import SearchDocument
from forum.search.languages import (
    CONFIGS,
    SIMPLE,
    UNFOLDED,
    config_for,
    fold,
    is_stemmed_as_english,
)

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
class Ranking:
    """Ranked hits, and whether more matches exist than these (a count shown as "1,000+")."""

    keys: list[tuple[str, int]]
    more: bool = False


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

    def rebuilt(self, source_tables: list[str]) -> None:
        """Called once a rebuild has written every entry, read from ``source_tables``."""

    #: Per type, only the newest this many matches (of the filters too) are ranked: ranking every
    #: match of a common word (tens of thousands of rows) costs hundreds of milliseconds.
    RANK_WINDOW = 1000

    def candidates(self, words: list[str], filters: Filters, now: datetime, limit: int) -> Ranking:
        """At most ``limit`` ``(content_type, object_id)`` best first, published by ``now``."""
        rows, truncated = self._ranked(words, filters, now, limit + 1)
        rows.sort(key=lambda r: r.published_at, reverse=True)  # newest first...
        rows.sort(key=lambda r: r.score)  # ...among equal scores (the sort is stable), best first
        keys = [(r.content_type, r.object_id) for r in rows[:limit]]
        return Ranking(keys, more=truncated or len(rows) > limit)

    def _ranked(self, words: list[str], filters: Filters, now: datetime, limit: int):
        """``(rows, truncated)``: per type, up to ``limit`` rows (``content_type``, ``object_id``,
        ``score``: lower is better, ``published_at``) ranked within its window; ``truncated``
        when a window left older matches out."""
        raise NotImplementedError

    def snippets(self, words: list[str], content_type: str, ids: list[int]) -> dict[int, Snippet]:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    @staticmethod
    def id_in(column, ids: list[int]):
        """``column IN ids`` for a candidate list (up to ``limit`` ids) in the engine's cheapest form."""
        return column.in_(ids)


@cache
def _sqlite_sql(template: str, table: str, expanding: tuple[str, ...] = ()):
    """A statement of ``template`` for one of the FTS5 tables (``{table}`` in it)."""
    return text(template.format(table=table)).bindparams(
        *(bindparam(name, expanding=True) for name in expanding)
    )


class SqliteBackend(SearchBackend):
    """Two FTS5 tables with bm25 ranking (title weighs more than body): ``search_fts`` stems
    English (``porter``); ``search_fts_plain`` holds every other language, accent-folded and not
    stemmed (``unicode61 remove_diacritics 2``), so Finnish and French are never stemmed as English.
    A search asks both."""

    table = "search_fts"
    PLAIN_TABLE = "search_fts_plain"
    TABLES = (table, PLAIN_TABLE)
    _INSERT = (
        "INSERT OR REPLACE INTO {table} (rowid, title, body, content_type, object_id, "
        "characteristic_id, author_id, published_at, url) "
        "VALUES (:rowid, :title, :body, :ct, :oid, :cid, :aid, :pub, :url)"
    )

    @classmethod
    def table_for(cls, doc: SearchDocument) -> str:
        return cls.table if is_stemmed_as_english(doc.language) else cls.PLAIN_TABLE

    @staticmethod
    def id_in(column, ids):
        # One JSON parameter read by json_each: a thousand bound parameters cost SQLAlchemy ~0.5 ms
        # to expand on every search, and gave SQLite a new statement to prepare each time.
        listed = func.json_each(bindparam("ids", json.dumps(list(ids)))).table_valued("value")
        return column.in_(select(listed.c.value))

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
            "title": _clean(doc.title),
            "body": _clean(doc.body),
            "ct": doc.content_type,
            "oid": doc.object_id,
            "cid": doc.characteristic_id,
            "aid": doc.author_id,
            "pub": published.isoformat(sep=" "),
            "url": doc.url or "",
        }

    def upsert(self, doc: SearchDocument) -> None:
        # (its language may have changed: the entry leaves the other table)
        self.remove(doc.content_type, doc.object_id)
        db.session.execute(_sqlite_sql(self._INSERT, self.table_for(doc)), self._params(doc))

    def insert_many(self, docs: list[SearchDocument]) -> None:
        for table in self.TABLES:
            rows = [self._params(d) for d in docs if self.table_for(d) == table]
            if rows:
                db.session.execute(_sqlite_sql(self._INSERT, table), rows)

    def remove(self, content_type: str, object_id: int) -> None:
        rowid = self.rowid(content_type, object_id)
        for table in self.TABLES:
            if rowid is not None:
                db.session.execute(
                    _sqlite_sql("DELETE FROM {table} WHERE rowid = :rowid", table),
                    {"rowid": rowid},
                )
                continue
            db.session.execute(
                _sqlite_sql(
                    "DELETE FROM {table} WHERE content_type = :ct AND object_id = :oid", table
                ),
                {"ct": content_type, "oid": object_id},
            )

    def clear(self) -> None:
        for table in self.TABLES:
            db.session.execute(_sqlite_sql("DELETE FROM {table}", table))

    @staticmethod
    def _match(words: list[str], filters: Filters | None = None) -> str:
        """The FTS5 query: the words, and the filters as tokens of their own indexed columns, so
        that the window is one of filtered matches. The filter columns hold only numbers: words
        with a digit are kept to the title and body (a column filter makes bm25 ~30 % slower)."""
        match = " ".join(f'"{w}"' for w in words)
        if any(ch.isdigit() for w in words for ch in w):
            match = "{title body} : (" + match + ")"
        if filters is not None and filters.characteristic_id is not None:
            match += f' AND characteristic_id : "{int(filters.characteristic_id)}"'
        if filters is not None and filters.author_id is not None:
            match += f' AND author_id : "{int(filters.author_id)}"'
        return match

    #: bm25 weights per column: title, body; the filter columns never score.
    _WEIGHTS = "5.0, 1.0, 0.0, 0.0, 0.0, 0.0"

    @classmethod
    def _type_range(cls, content_type: str) -> tuple[int, int]:
        low = cls.rowid(content_type, 0)
        return low, low + 2**32 - 1

    _EDGE = (
        "SELECT rowid FROM {table} WHERE {table} MATCH :q AND rowid BETWEEN :low AND :high "
        "ORDER BY rowid DESC LIMIT 1 OFFSET :window"
    )
    _RANK = (
        f"SELECT content_type, object_id, bm25({{table}}, {_WEIGHTS}) AS score, published_at "
        "FROM {table} WHERE {table} MATCH :q AND rowid BETWEEN :low AND :high "
        "AND content_type IN :types AND published_at IS NOT NULL AND published_at <= :now "
        "ORDER BY score, published_at DESC LIMIT :limit"
    )

    def _ranked(self, words, filters, now, limit):
        rows, truncated = [], False
        for table in self.TABLES:
            found, cut = self._ranked_in(table, words, filters, now, limit)
            rows += found
            truncated |= cut
        return rows, truncated

    def _ranked_in(self, table, words, filters, now, limit):
        q = self._match(words, filters)
        windows, truncated = [], False
        for content_type in sorted(filters.content_types, key=self._type_range):
            low, high = self._type_range(content_type)
            # the (window + 1)-th newest match: found by walking rowids down, reading no rows
            edge = db.session.execute(
                _sqlite_sql(self._EDGE, table),
                {"q": q, "low": low, "high": high, "window": self.RANK_WINDOW},
            ).scalar()
            truncated |= edge is not None
            windows.append((low if edge is None else edge + 1, high, content_type, edge is None))
        rows = []
        for low, high, types in self._merged(windows):
            rows += db.session.execute(
                _sqlite_sql(self._RANK, table, ("types",)),
                {
                    "q": q,
                    "low": low,
                    "high": high,
                    "types": types,
                    "limit": limit,
                    "now": _naive(now).isoformat(sep=" "),
                },
            ).all()
        return rows, truncated

    @staticmethod
    def _merged(windows: list[tuple[int, int, str, bool]]) -> list[tuple[int, int, list[str]]]:
        """Rowid ranges to rank, one statement each: a window joins the one before it when it
        covers its whole type (rows of other types in between are left out by ``content_type``).
        bm25 counts each word's matches over the whole table once per statement, a few
        milliseconds for a common word, so fewer statements are faster."""
        ranges: list[tuple[int, int, list[str]]] = []
        for low, high, content_type, whole in windows:
            if ranges and whole:
                ranges[-1] = (ranges[-1][0], high, [*ranges[-1][2], content_type])
            else:
                ranges.append((low, high, [content_type]))
        return ranges

    _SNIPPETS = (
        "SELECT object_id, highlight({table}, 0, char(2), char(3)), "
        "snippet({table}, 1, char(2), char(3), '…', 24), url FROM {table} "
        "WHERE {table} MATCH :q AND rowid IN :rowids"
    )

    def snippets(self, words, content_type, ids):
        rowids = [self.rowid(content_type, i) for i in ids]
        params = {"q": self._match(words), "rowids": [r for r in rowids if r is not None]}
        found = {}
        for table in self.TABLES:
            rows = db.session.execute(_sqlite_sql(self._SNIPPETS, table, ("rowids",)), params)
            found |= {int(oid): Snippet(title, body, url or "") for oid, title, body, url in rows}
        return found

    def count(self) -> int:
        return sum(
            db.session.execute(_sqlite_sql("SELECT count(*) FROM {table}", table)).scalar_one()
            for table in self.TABLES
        )


def _matches_in_own_language() -> str:
    """``tsv`` matches the query parsed with the entry's own configuration, written as one
    condition per configuration so that each can use the GIN index (a query parsed per row could
    not). ``:q`` is the query as typed, ``:qf`` folded (``forum.search.languages``)."""
    return (
        "("
        + " OR ".join(
            f"(config = '{c}'::regconfig AND tsv @@ plainto_tsquery('{c}', :{'q' if c in UNFOLDED else 'qf'}))"
            for c in (*CONFIGS.values(), SIMPLE)
        )
        + ")"
    )


#: the query as the entry's own configuration reads it (for ranking and headlines, row by row)
_OWN_QUERY = "plainto_tsquery(config, CASE WHEN config = 'finnish'::regconfig THEN :q ELSE :qf END)"


class PostgresBackend(SearchBackend):
    """Table ``search_fts_documents`` with a generated, GIN-indexed ``tsvector`` column built with
    each entry's own text search configuration (``config``: english, finnish, french or simple);
    its primary key ``(content_type, object_id)`` makes an upsert one ``ON CONFLICT`` statement."""

    _UPSERT = text(
        "INSERT INTO search_fts_documents (content_type, object_id, title, body, url, "
        "characteristic_id, author_id, published_at, config) "
        "VALUES (:ct, :oid, :title, :body, :url, :cid, :aid, :pub, CAST(:config AS regconfig)) "
        "ON CONFLICT (content_type, object_id) DO UPDATE SET title = EXCLUDED.title, "
        "body = EXCLUDED.body, url = EXCLUDED.url, characteristic_id = EXCLUDED.characteristic_id, "
        "author_id = EXCLUDED.author_id, published_at = EXCLUDED.published_at, "
        "config = EXCLUDED.config"
    )

    @staticmethod
    def _params(doc: SearchDocument) -> dict:
        return {
            "title": _clean(doc.title),
            "body": _clean(doc.body),
            "ct": doc.content_type,
            "oid": doc.object_id,
            "cid": doc.characteristic_id,
            "aid": doc.author_id,
            "pub": _naive(doc.published_at or datetime.now(UTC)),
            "url": doc.url or "",
            "config": config_for(doc.language),
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

    def rebuilt(self, source_tables: list[str]) -> None:
        """Fresh planner statistics, as after any bulk load (a rebuild usually follows an import).
        Whether to walk the newest entries or use the GIN index depends on how common each word
        is: without statistics every query reads all its matches. The policy check of up to
        1,000 candidates reads the source tables by primary key only if the planner knows that
        most of their rows are public."""
        quote = db.engine.dialect.identifier_preparer.quote
        tables = ", ".join(quote(name) for name in ["search_fts_documents", *source_tables])
        db.session.execute(text(f"ANALYZE {tables}"))

    @staticmethod
    def _filter_sql(filters: Filters, params: dict) -> str:
        sql = " AND published_at IS NOT NULL AND published_at <= :now"
        if filters.characteristic_id is not None:
            sql += " AND characteristic_id = :cid"
            params["cid"] = filters.characteristic_id
        if filters.author_id is not None:
            sql += " AND author_id = :aid"
            params["aid"] = filters.author_id
        return sql

    def _ranked(self, words, filters, now, limit):
        # Innermost: the newest window + 1 matches, in primary-key order. The planner walks the
        # key backwards for common words and uses the GIN index for rare ones; either way it
        # stops early. The middle level counts them (window + 1: some were left out) and keeps
        # the window; only then does ts_rank_cd run.
        params = {
            "q": " ".join(words),
            "qf": fold(" ".join(words)),
            "now": _naive(now),
            "window": self.RANK_WINDOW,
            "limit": limit,
        }
        newest = (
            "SELECT content_type, object_id, published_at, tsv, config FROM search_fts_documents "
            "WHERE content_type = :ct AND "
            + _matches_in_own_language()
            + self._filter_sql(filters, params)
            + " ORDER BY object_id DESC LIMIT :window + 1"
        )
        stmt = text(
            f"SELECT content_type, object_id, -ts_rank_cd(tsv, {_OWN_QUERY}) AS score, published_at, "
            "seen FROM (SELECT *, count(*) OVER () AS seen FROM (" + newest + ") AS probe "
            "ORDER BY object_id DESC LIMIT :window) AS newest "
            "ORDER BY score, published_at DESC LIMIT :limit"
        )
        rows, truncated = [], False
        for content_type in filters.content_types:
            found = db.session.execute(stmt, {**params, "ct": content_type}).all()
            truncated |= bool(found) and found[0].seen > self.RANK_WINDOW
            rows += found
        return rows, truncated

    def snippets(self, words, content_type, ids):
        options = "StartSel=\x02, StopSel=\x03, MaxWords=40, MinWords=15, MaxFragments=2, FragmentDelimiter=…"
        stmt = text(
            f"SELECT object_id, ts_headline(config, title, {_OWN_QUERY}, :opts_title), "
            f"ts_headline(config, body, {_OWN_QUERY}, :opts), url "
            "FROM search_fts_documents WHERE content_type = :ct AND object_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        rows = db.session.execute(
            stmt,
            {
                "q": " ".join(words),
                "qf": fold(" ".join(words)),
                "ct": content_type,
                "ids": ids,
                "opts": options,
                "opts_title": "StartSel=\x02, StopSel=\x03, HighlightAll=true",
            },
        )
        return {int(oid): Snippet(title, body, url or "") for oid, title, body, url in rows}

    def count(self) -> int:
        return db.session.execute(text("SELECT count(*) FROM search_fts_documents")).scalar_one()

    @staticmethod
    def id_in(column, ids):
        # One array parameter, of the column's own type (a cast per comparison is far slower): a
        # thousand bound parameters cost ~10 ms in the driver and planner.
        return column == any_(cast(bindparam("ids", list(ids)), ARRAY(column.type)))


def backend() -> SearchBackend:
    """The engine for the app's database."""
    if db.engine.dialect.name == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
