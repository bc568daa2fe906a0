"""Where cached pages and the content version live: Redis when configured, else files + the DB.

Without Redis the version is a row in the database (so several hosts agree) and pages are files
in the instance folder (each host keeps its own copies, all keyed by the shared version).
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

VERSION_KEY = "content_version"
PLUGINS_VERSION_KEY = "plugins_version"  # forum.plugins.state.VERSION_KEY


def _now() -> float:
    return time.time()


def next_publish_time(conn) -> float | None:
    """When the next approved, scheduled part goes live (it changes public pages)."""
    value = conn.execute(sa.text(
        "SELECT MIN(publish_at) FROM parts WHERE status = 'approved' AND deleted_at IS NULL "
        "AND hidden_at IS NULL AND publish_at > :now"), {"now": datetime.now(UTC).replace(tzinfo=None)}).scalar()
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC).timestamp()


class FileStore:
    """Pages as files under ``instance/page-cache``; the version as a ``site_setting`` row."""

    def __init__(self, folder: str, engine):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.engine = engine
        self._local = threading.local()
        self._readers: list = []  # (pid, connection) of every thread's reader, closed with the engine
        sa.event.listen(engine, "engine_disposed", self._close_readers)

    def get_version(self, conn=None) -> dict:
        """The content version; ``plugins`` also carries the ``plugins_version`` counter read by
        the same statement, so a page-cache miss needs no second query for it. With ``conn`` (the
        request session's), the version and what the request then reads share one snapshot."""
        query = sa.text("SELECT key, value FROM site_setting WHERE key IN (:k, :p)")
        params = {"k": VERSION_KEY, "p": PLUGINS_VERSION_KEY}
        if conn is not None:
            rows = dict(conn.execute(query, params).all())
        else:
            rows = self._read(query, params)
        raw = rows.get(VERSION_KEY)
        version = {"v": 0, "next": None} if raw is None else json.loads(raw) if isinstance(raw, str) else raw
        plugins = rows.get(PLUGINS_VERSION_KEY)
        return {**version, "plugins": int(json.loads(plugins) if isinstance(plugins, str) else plugins or 0)}

    def _read(self, query, params) -> dict:
        """One statement on this thread's own autocommit connection: a cache hit costs one round
        trip, not a pool checkout with its ping, a BEGIN and a ROLLBACK."""
        reader = self._reader()
        try:
            return dict(reader.execute(query, params).all())
        except sa.exc.DBAPIError:  # the server went away: a new connection, once
            reader.invalidate()
            reader.close()  # (an invalidated connection refuses to reconnect inside its transaction)
            return dict(self._reader().execute(query, params).all())

    def _reader(self):
        local = self._local
        if getattr(local, "pid", None) != os.getpid() or local.conn.closed:
            local.conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            local.pid = os.getpid()  # (a forked worker never shares its parent's socket)
            self._readers[:] = [r for r in self._readers if not r[1].closed] + [(local.pid, local.conn)]
        return local.conn

    def _close_readers(self, _engine=None) -> None:
        while self._readers:
            pid, reader = self._readers.pop()
            if pid == os.getpid() and not reader.closed:  # (never a parent process's socket)
                reader.invalidate()  # closes the socket itself (close() would pool it)
                reader.close()

    def bump(self, conn) -> None:
        """One upsert: two first bumps at once (a new database) must not both try to INSERT."""
        payload = json.dumps({"v": time.time_ns(), "next": next_publish_time(conn)})
        conn.execute(sa.text("INSERT INTO site_setting (key, value) VALUES (:k, :v) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                     {"k": VERSION_KEY, "v": payload})

    bump_in_transaction = True

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        expires, _, body = data.partition(b"\n")
        if float(expires) < _now():
            return None
        return body

    def set(self, key: str, value: bytes, ttl: float) -> None:
        path = self._path(key)
        path.parent.mkdir(exist_ok=True)
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
        import redis

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

    def get(self, key: str) -> bytes | None:
        return self.redis.get(self.prefix + key)

    def set(self, key: str, value: bytes, ttl: float) -> None:
        self.redis.set(self.prefix + key, value, px=max(1, int(ttl * 1000)))
