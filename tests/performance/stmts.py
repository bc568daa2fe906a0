"""Counting the SQL statements a request runs (every statement the engine sends, by kind)."""

from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa

from forum.extensions import db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@contextmanager
def statements(app=None):
    """Yield a list that collects each SQL statement ``app``'s engine (default: the current
    app's) sends while the block runs."""
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    if app is not None:
        with app.app_context():
            engine = db.engine
    else:
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


def writes(seen: list[str]) -> list[str]:
    return [s for s in seen if s.lstrip("( ").upper().startswith(WRITES)]


def reads(seen: list[str]) -> list[str]:
    """Statements other than transaction control (BEGIN/COMMIT/SAVEPOINT are not queries)."""
    return [s for s in seen if not s.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT",
                                                         "RELEASE"))]
