"""How a worker knows the content version without reading it on every cache hit.

A cache hit must be answered under the current content version (``forum.pagecache.store``), and
reading it is most of a hit's cost under load: a statement on PostgreSQL, and on SQLite a read
transaction whose shared-memory locks every worker contends for. Each process therefore keeps
the version it read until the database shows it may have changed:

- PostgreSQL (``VersionWatcher``): a trigger notifies every write to ``site_setting`` at commit
  (migration core_0011), and each process listens;
- SQLite (``FileWatcher``): every commit writes the database's files, so a change of their size
  or modification time is the signal, read with two ``stat`` calls.

Either way a kept value is read again after ``MAX_AGE`` seconds at most, and a process that
bumps the version forgets every value it keeps for that database (``KeptVersion.forget``).
"""

from __future__ import annotations

import os
import threading
import time
import weakref

import psycopg


def watcher_for(engine):
    """The engine's watcher, or None (an in-memory SQLite database: every hit reads)."""
    if engine.dialect.name == "postgresql":
        return VersionWatcher(engine)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        if not database.startswith("file:"):
            return FileWatcher(os.path.abspath(database))
    return None


class KeptVersion:
    """What both watchers share: their identity (``conninfo``: one database) and ``forget``."""

    conninfo: str

    def __init__(self) -> None:
        _WATCHERS.add(self)

    def forget(self) -> None:
        """This process bumped the version: every watcher here on the same database reads it
        again (its own notice may come later). Called at the bump and again once it committed,
        so a read between the two (the old row, still) is not kept either."""
        for watcher in list(_WATCHERS):
            if watcher.conninfo == self.conninfo:
                watcher.drop_kept()

    def drop_kept(self) -> None:
        raise NotImplementedError

    def keeps(self) -> bool:
        """Whether the next hit may be answered without reading the version."""
        raise NotImplementedError


class FileWatcher(KeptVersion):
    """SQLite: the version this process last read, kept while the database's files are still.

    Every commit writes the write-ahead log (or, out of WAL mode, the database file), which moves
    that file's size or modification time; two ``stat`` calls cost ~2 µs where the read costs a
    read transaction. A file's time moves in coarse ticks (a few milliseconds), so a value is
    kept only when the files had been still for ``SETTLE`` seconds before it was read: any
    commit after the read then leaves a later time than the one kept."""

    SETTLE = 0.05
    MAX_AGE = 5.0

    def __init__(self, path: str):
        super().__init__()
        self.conninfo = path
        self.paths = (path, path + "-wal")
        self._kept: tuple | None = None  # (files' state, version, when read): one assignment

    def _state(self) -> tuple:
        state: list[tuple[int, int, int] | None] = []
        for path in self.paths:
            try:
                found = os.stat(path)
            except OSError:
                state.append(None)
            else:
                state.append((found.st_ino, found.st_size, found.st_mtime_ns))
        return tuple(state)

    def version(self, read) -> dict:
        """The kept version, or ``read()`` (kept once the files are settled)."""
        state, now = self._state(), time.time()
        kept = self._kept
        if kept is not None and kept[0] == state and now - kept[2] <= self.MAX_AGE:
            return kept[1]
        value = read()
        newest = max((found[2] for found in state if found is not None), default=0) / 1e9
        self._kept = (state, value, now) if now - newest >= self.SETTLE else None
        return value

    def drop_kept(self) -> None:
        self._kept = None

    def keeps(self) -> bool:
        return self._kept is not None


_INHERITED: list = []  # a forked worker's copies of its parent's listening connection
_WATCHERS: weakref.WeakSet[KeptVersion] = weakref.WeakSet()  # this process's, to forget


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # (already gone)
        pass


class VersionWatcher(KeptVersion):
    """PostgreSQL: the version this process last read, kept until the database says it changed.

    One ``LISTEN forum_site_setting`` connection per process (migration core_0011: a trigger
    notifies on every write to ``site_setting``, at commit, whoever writes). A cache hit then
    costs a non-blocking look at that socket instead of a statement. Anything unexpected (no
    listener yet, a lost connection, another thread using it) falls back to reading; a kept
    value is read again after ``MAX_AGE`` seconds at most, whatever happens."""

    CHANNEL = "forum_site_setting"
    MAX_AGE = 5.0
    RETRY = 5.0

    def __init__(self, engine):
        super().__init__()
        self.conninfo = engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._conn = None
        self._closer: weakref.finalize | None = None
        self._value: dict | None = None
        self._read_at = 0.0
        self._retry_at = 0.0

    def version(self, read) -> dict:
        """The kept version, or ``read()`` (kept) when it may have changed."""
        if not self._lock.acquire(blocking=False):
            return read()
        try:
            if self._pid != os.getpid():  # (a forked worker listens on its own connection)
                if self._closer is not None:  # the parent's: never closed (nor freed) from here
                    _INHERITED.append(self._closer.detach())
                self._pid, self._conn, self._closer, self._value = os.getpid(), None, None, None
            if not self._listening():
                return read()
            now = time.monotonic()
            if self._value is None or now - self._read_at > self.MAX_AGE:
                self._value, self._read_at = read(), now
            return self._value
        finally:
            self._lock.release()

    def drop_kept(self) -> None:
        self._value = None

    def keeps(self) -> bool:
        return self._value is not None

    def _listening(self) -> bool:
        """Connected and told of every change so far (each notice drops the kept value)."""
        if self._conn is None:
            if time.monotonic() < self._retry_at:
                return False
            try:
                self._conn = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=2)
                # (closed with the watcher: a dropped app never leaves an open connection behind)
                self._closer = weakref.finalize(self, _close_quietly, self._conn)
                self._conn.execute(f"LISTEN {self.CHANNEL}")
            except Exception:  # the cache must never take the site down: read instead
                self._drop()
                return False
            self._value = None
        try:
            pgconn = self._conn.pgconn
            # (twice: a session the server ended reads its last message first, then fails)
            pgconn.consume_input()
            pgconn.consume_input()
            while pgconn.notifies() is not None:
                self._value = None
        except Exception:
            self._drop()
            return False
        return True

    def _drop(self) -> None:
        if self._closer is not None:
            self._closer()  # (closes the connection, once)
        self._conn, self._closer = None, None
        self._value, self._retry_at = None, time.monotonic() + self.RETRY
