"""Database helpers shared by core and plugins: UTC timestamps, SQLite tuning, row helpers."""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import DateTime, event, exc, inspect
from sqlalchemy import text as sa_text
from sqlalchemy.engine import CursorResult, Engine, make_url
from sqlalchemy.types import TypeDecorator

from forum.extensions import db

#: False while serving a safe (GET/HEAD) request: SQLite then begins DEFERRED so readers never queue.
write_intent: ContextVar[bool] = ContextVar("forum_write_intent", default=True)
#: True while serving a request: a writing request's SQLite transaction reads without the write
#: lock and takes it at its first write (``_take_write_lock``), so concurrent posters queue only
#: for their INSERTs and commit, not for their whole request (checks, forms, Markdown).
write_lock_at_first_write: ContextVar[bool] = ContextVar("forum_write_lock_late", default=False)
_TAKE_LOCK = "forum.take_write_lock"  # (``Connection.info``: this transaction has not written yet)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC: SQLite keeps no zone, PostgreSQL gets one column type."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def one_of_sql(column: str, values: Iterable[str]) -> str:
    """``column IN ('a', 'b')``: a CHECK constraint's text, built from a StrEnum so the model and
    its migration list the same values (DDL takes no bound parameters, so the values are quoted)."""
    quoted = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return f"{column} IN ({quoted})"


def refuse_values_outside(op, label: str, table: str, column: str, values: Iterable[str]) -> None:
    """For a migration adding a ``one_of_sql`` CHECK: stop, naming the table and the values it
    would refuse, rather than guess what they should be (the data is never changed)."""
    values = tuple(values)
    found = (
        op.get_bind()
        .execute(
            sa_text(
                f"SELECT {column}, COUNT(*) FROM {table} WHERE NOT ({one_of_sql(column, values)}) "
                f"GROUP BY {column} ORDER BY {column}"
            )
        )
        .all()
    )
    if found:
        unknown = ", ".join(f"{value!r} ({count} rows)" for value, count in found)
        raise RuntimeError(
            f"{label}: {table}.{column} holds {unknown}; allowed are {', '.join(values)}. "
            "Correct those rows, then upgrade again."
        )


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def lock_for_writing() -> None:
    """SQLite: from here the session's transaction holds the write lock, so what it reads next
    no other writer can change before it commits (a request takes the lock only at its first
    write: ``write_lock_at_first_write``). PostgreSQL: nothing (callers lock the rows)."""
    if is_sqlite(db.engine):
        _lock_now(db.session.connection())


def lock_for_decision(obj) -> None:
    """Re-read ``obj`` under a lock before deciding on it, so two concurrent decisions (two
    moderators approving at once) cannot both act on the old state: ``SELECT ... FOR UPDATE`` on
    PostgreSQL; on SQLite under the write lock, which serialises writers."""
    if not inspect(obj).persistent:
        return
    db.session.flush()  # the caller's own unsaved changes (an edit before approval) are kept
    sqlite = is_sqlite(db.engine)
    if sqlite:
        lock_for_writing()
    db.session.refresh(obj, with_for_update=not sqlite)


def create_private_sqlite_file(url: str, instance_path: str) -> None:
    """Create a new SQLite database file owner-only (0600) before SQLite creates it with the
    umask's mode (often world-readable); its -wal and -shm files take the same mode. A relative
    path is in the instance folder, as Flask-SQLAlchemy reads it."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return
    path = Path(instance_path) / parsed.database  # (an absolute database path stays itself)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # another worker created it first


_IDLE_SINCE = "forum.idle_since"  # (``ConnectionRecord.info``: when the pool took it back)
_ping_settings: weakref.WeakKeyDictionary[Engine, dict] = weakref.WeakKeyDictionary()


def ping_after_idle(engine: Engine, seconds: float | None) -> None:
    """PostgreSQL: test a pooled connection before use only if it sat idle ``seconds`` or more.

    ``pool_pre_ping`` tests every checkout, a round trip on every request (~0.4 ms of a post's
    CPU on a busy site). A connection the pool handed out a moment ago is alive; one that
    waited, e.g. across a database restart or a firewall's idle timeout, is tested and replaced
    if dead. A restart under full load still costs the requests in flight, as with
    ``pool_pre_ping``, and SQLAlchemy then retires the whole pool. ``0``: test every checkout;
    ``None``: never.
    """
    if is_sqlite(engine):
        return  # (a file: nothing between the worker and the database to go stale)
    if engine in _ping_settings:  # (an engine shared by several apps: the latest setting wins)
        _ping_settings[engine]["seconds"] = seconds
        return
    setting = _ping_settings[engine] = {"seconds": seconds}
    dialect = engine.dialect

    def _stamp(_dbapi_conn, record) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def _ping_if_idle(dbapi_conn, record, _proxy) -> None:
        since, limit = record.info.pop(_IDLE_SINCE, None), setting["seconds"]
        if since is None or limit is None or time.monotonic() - since < limit:
            return  # (new, or back from its last use a moment ago)
        try:
            dialect.do_ping(dbapi_conn)
        except dialect.loaded_dbapi.Error as error:  # the pool discards it and connects anew
            raise exc.DisconnectionError(f"a pooled connection died while idle: {error}") from error

    event.listen(engine, "checkin", _stamp)
    event.listen(engine, "checkout", _ping_if_idle)


def tune_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE so concurrent writers queue.

    Once per engine: an engine shared by several apps (the test suite's) is tuned once."""
    if not is_sqlite(engine) or event.contains(engine, "connect", _on_sqlite_connect):
        return
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    event.listen(engine, "before_cursor_execute", _take_write_lock)


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # let SQLAlchemy's begin event issue BEGIN itself
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _on_sqlite_begin(conn) -> None:
    if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return  # each statement its own transaction (the page cache's version reads)
    late = write_intent.get() and write_lock_at_first_write.get()
    conn.info[_TAKE_LOCK] = False
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() and not late else "BEGIN")
    conn.info[_TAKE_LOCK] = late


def _take_write_lock(conn, _cursor, statement: str, *_args) -> None:
    """Before a late-locking transaction's first statement that is not a plain read: end its
    reads (nothing was written) and begin again with the write lock, queueing behind other
    writers. Upgrading the read transaction in place would fail outright whenever another
    writer committed since its snapshot. What the request read before stays as it was read:
    the reads-then-write of READ COMMITTED, which PostgreSQL gives every request anyway; races
    are settled where they are written (unique keys, conditional UPDATEs)."""
    if conn.info.get(_TAKE_LOCK) and statement.lstrip()[:6].upper() != "SELECT":
        _lock_now(conn)


def _lock_now(conn) -> None:
    if not conn.info.get(_TAKE_LOCK):
        return  # (holds the lock already, or reads only)
    conn.info[_TAKE_LOCK] = False
    raw = conn.connection.dbapi_connection
    try:
        raw.execute("ROLLBACK")
    except raw.OperationalError:  # (a read still in progress: upgrade in place, as before)
        return
    raw.execute("BEGIN IMMEDIATE")


def changed_rows(result: Any) -> int:
    """Rows an UPDATE or DELETE changed: a conditional UPDATE that changed one row won a race."""
    return cast(CursorResult, result).rowcount


@contextmanager
def sqlite_foreign_keys_off(op, label: str) -> Iterator[None]:
    """For a migration: SQLite foreign keys off (a PRAGMA that works only between transactions)
    while batch mode copies tables, since dropping the old copy would fire ON DELETE actions.

    Each autocommit block commits the work before it, as SQLite's own recipe for changing a table
    does. The keys are checked before they are on again (``label`` names the migration in the
    error). If the block fails, its connection is detached so it never returns to the pool with
    foreign keys off. On other databases this does nothing."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    context = op.get_context()
    with context.autocommit_block():
        op.get_bind().exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"{label}: foreign keys broken by the copy: {broken}")
    except BaseException:
        bind.detach()
        raise
    with context.autocommit_block():
        op.get_bind().exec_driver_sql("PRAGMA foreign_keys=ON")
