"""Where cached pages and the content version live: Redis when configured, else files + the DB.

Without Redis the version is a row in the database (so several hosts agree) and pages are files
in the instance folder (each host keeps its own copies, all keyed by the shared version).
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import redis
import sqlalchemy as sa

from forum.pagecache.watchers import watcher_for

VERSION_KEY = "content_version"
PLUGINS_VERSION_KEY = "plugins_version"  # forum.kernel.state.VERSION_KEY


def _now() -> float:
    return time.time()


def next_publish_time(conn) -> float | None:
    """When the next approved, scheduled part goes live (it changes public pages)."""
    value = conn.execute(
        sa.text(
            "SELECT MIN(publish_at) FROM parts WHERE status = 'approved' AND deleted_at IS NULL "
            "AND hidden_at IS NULL AND publish_at > :now"
        ),
        {"now": datetime.now(UTC).replace(tzinfo=None)},
    ).scalar()
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC).timestamp()


class RawStatement:
    """A statement compiled once for the driver, run on a bare DB-API cursor: a cache hit's one
    or two reads cost ~15 µs (SQLite) or ~60 µs (PostgreSQL) of the worker's CPU instead of
    ~100-200 µs through SQLAlchemy's execution layer. Rows come back as the driver gives them."""

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        if "POSTCOMPILE" in compiled.string:  # (a value SQLAlchemy renders per execution)
            raise ValueError(f"not runnable bare: {compiled.string[:200]}")
        self.compiled, self.sql = compiled, compiled.string
        self.order = compiled.positiontup if compiled.positional else None
        self.processors = {
            key: processor
            for key, bind in compiled.binds.items()
            if (processor := bind.type.bind_processor(dialect)) is not None
        }

    def arguments(self, params: dict):
        values = self.compiled.construct_params(params)
        for key, processor in self.processors.items():
            if key in values:
                values[key] = processor(values[key])
        return values if self.order is None else [values[key] for key in self.order]


class VersionReaders:
    """A small per-process pool of autocommit connections for the version read of a cache hit.

    A hit costs one statement: no BEGIN, no ROLLBACK, no ping. The connection goes back to the
    pool at once, so a threaded server (``flask run`` starts a thread per request) never holds
    one per thread; a forked worker opens its own, never its parent's sockets."""

    def __init__(self, engine):
        self.main = engine
        self._compiled: dict[int, tuple] = {}
        #: called with each statement's SQL before it runs (``forum.testing.sql_statements``:
        #: these reads pass no SQLAlchemy event)
        self.listeners: list = []
        self._engine = None
        self._pid = None
        sa.event.listen(engine, "engine_disposed", self.dispose)

    def read(self, query, params) -> dict:
        """The rows of a two-column query, as a dict."""
        return dict(self._run(query, params))

    def first(self, query, params) -> tuple | None:
        """The first row of ``query`` (None when there is none)."""
        rows = self._run(query, params)
        return tuple(rows[0]) if rows else None

    def _run(self, query, params) -> list:
        engine = self.engine
        raw = self._compiled.get(id(query))
        if raw is None or raw[0] is not query:
            raw = self._compiled[id(query)] = (query, RawStatement(query, engine.dialect))
        statement = raw[1]
        arguments = statement.arguments(params)
        for listener in self.listeners:
            listener(statement.sql)
        try:
            return self._fetch(engine, statement.sql, arguments)
        except engine.dialect.loaded_dbapi.Error:  # the server went away (and every connection)
            engine.dispose()
            return self._fetch(engine, statement.sql, arguments)

    @staticmethod
    def _fetch(engine, sql: str, arguments) -> list:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql, arguments)
            rows = cursor.fetchall()
            cursor.close()
        except BaseException:
            connection.invalidate()
            raise
        finally:
            connection.close()  # (back to the pool; an invalidated one is discarded)
        return rows

    @property
    def engine(self):
        """This process's pool (a forked worker builds its own)."""
        if self._pid != os.getpid():
            if self._engine is not None:
                self._engine.dispose(
                    close=False
                )  # (a forked worker never uses its parent's sockets)
            self._engine = self._create()
            self._pid = os.getpid()
        return self._engine

    def _create(self):
        sqlite = self.main.dialect.name == "sqlite"
        return sa.create_engine(
            self.main.url,
            isolation_level="AUTOCOMMIT",
            pool_size=2,
            max_overflow=8,
            pool_timeout=10,
            pool_reset_on_return=None,
            connect_args={"timeout": 15} if sqlite else {},
        )

    def dispose(self, _engine=None) -> None:
        if self._engine is not None and self._pid == os.getpid():
            self._engine.dispose()
        self._engine = self._pid = None


VERSION_QUERY = sa.text("SELECT key, value FROM site_setting WHERE key IN (:k, :p)")
VERSION_PARAMS = {"k": VERSION_KEY, "p": PLUGINS_VERSION_KEY}


def _version(rows: dict) -> dict:
    """The content version row (and the ``plugins`` counter beside it) as the cache uses it."""
    raw = rows.get(VERSION_KEY)
    version = (
        {"v": 0, "next": None} if raw is None else json.loads(raw) if isinstance(raw, str) else raw
    )
    plugins = rows.get(PLUGINS_VERSION_KEY)
    return {
        **version,
        "plugins": int(json.loads(plugins) if isinstance(plugins, str) else plugins or 0),
    }


class FileStore:
    """Pages as files under ``instance/page-cache``; the version as a ``site_setting`` row."""

    def __init__(self, folder: str, engine):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._folder = str(self.folder)  # (a hit joins strings: pathlib costs ~10 µs a read)
        self.engine = engine
        self.readers = VersionReaders(engine)
        self.watcher = watcher_for(engine)

    def get_version(self, conn=None) -> dict:
        """The content version; ``plugins`` also carries the ``plugins_version`` counter read by
        the same statement, so a page-cache miss needs no second query for it. With ``conn`` (the
        request session's), the version and what the request then reads share one snapshot."""
        if conn is not None:
            return _version(dict(conn.execute(VERSION_QUERY, VERSION_PARAMS).all()))
        if self.watcher is not None:
            return self.watcher.version(self._read_version)
        return self._read_version()

    def _read_version(self) -> dict:
        return _version(self.readers.read(VERSION_QUERY, VERSION_PARAMS))

    def bump(self, conn) -> None:
        """One upsert: two first bumps at once (a new database) must not both try to INSERT."""
        if self.watcher is not None:
            self.watcher.forget()
        payload = json.dumps({"v": time.time_ns(), "next": next_publish_time(conn)})
        conn.execute(
            sa.text(
                "INSERT INTO site_setting (key, value) VALUES (:k, :v) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ),
            {"k": VERSION_KEY, "v": payload},
        )

    bump_in_transaction = True

    def bump_committed(self) -> None:
        """The transaction that bumped committed: no watcher here keeps the version from before."""
        if self.watcher is not None:
            self.watcher.forget()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get_entry(self, key: str) -> tuple[float, bytes] | None:
        """When the entry expires (``time.time()``) and what it holds; None once it has."""
        try:
            with open(os.path.join(self._folder, key[:2], key), "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        head, _, body = data.partition(b"\n")
        expires = float(head)
        return None if expires < _now() else (expires, body)

    def set(self, key: str, value: bytes, ttl: float) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)  # (an operator may empty the folder)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(f"{_now() + ttl}\n".encode() + value)
        os.replace(tmp, path)
        if random.random() < 0.002:
            self.sweep()

    def sweep(self) -> None:
        """Remove expired entries (old versions are never read again)."""
        now = _now()
        for path in self.folder.glob("*/*"):
            try:
                if float(path.read_bytes().split(b"\n", 1)[0]) < now:
                    path.unlink()
            except (OSError, ValueError):
                pass


class RedisStore:
    """Pages and the version in Redis, shared by every worker on every host."""

    bump_in_transaction = False

    def __init__(self, url: str, engine):
        self.redis = redis.Redis.from_url(url)
        self.engine = engine
        self.prefix = "forum:pagecache:"

    def get_version(self) -> dict:
        raw = self.redis.get(self.prefix + VERSION_KEY)
        return json.loads(raw) if raw else {"v": 0, "next": None}

    def bump(self, conn=None) -> None:
        if conn is None:
            with self.engine.connect() as c:
                nxt = next_publish_time(c)
        else:
            nxt = next_publish_time(conn)
        self.redis.set(self.prefix + VERSION_KEY, json.dumps({"v": time.time_ns(), "next": nxt}))

    def bump_committed(self) -> None:
        """(Redis holds the version itself: nothing kept here to forget.)"""

    def get_entry(self, key: str) -> tuple[float, bytes] | None:
        """When the entry expires (``time.time()``) and what it holds; None once it has."""
        body, ttl_ms = (
            self.redis.pipeline().get(self.prefix + key).pttl(self.prefix + key).execute()
        )
        if body is None or ttl_ms is None or ttl_ms < 0:
            return None
        return _now() + ttl_ms / 1000, body

    def set(self, key: str, value: bytes, ttl: float) -> None:
        self.redis.set(self.prefix + key, value, px=max(1, int(ttl * 1000)))
