"""PostgreSQL: a pooled connection is tested before use only after it sat idle.

``pool_pre_ping`` cost every request a round trip (issue 22); a connection the pool handed out
a moment ago is alive, one that waited (a restart, a firewall's idle timeout) is tested and, if
dead, replaced before the request sees it."""

import time

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from forum.extensions import db


@pytest.fixture
def postgres_app(make_app):
    def build(idle_seconds):
        app = make_app(FORUM_DB_PING_AFTER_IDLE=idle_seconds)
        with app.app_context():
            if db.engine.dialect.name != "postgresql":
                pytest.skip("PostgreSQL's connection pool")
            db.engine.dispose()  # (one fresh connection in the pool from here)
        return app

    return build


def _backend_pid() -> int:
    pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    db.session.commit()  # the connection goes back to the pool
    return pid


def _terminate(pid: int) -> None:
    """From another connection, as a database restart or an idle timeout would."""
    admin = sa.create_engine(db.engine.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def _count_pings(monkeypatch) -> list:
    pings: list = []
    real = db.engine.dialect.do_ping
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda conn: pings.append(1) or real(conn))
    return pings


def test_a_connection_that_died_while_idle_is_replaced_before_use(postgres_app):
    with postgres_app(0.2).app_context():
        pid = _backend_pid()
        _terminate(pid)
        time.sleep(0.3)
        assert _backend_pid() != pid  # no error: the test found it dead, the pool connected anew


def test_without_the_test_the_dead_connection_fails_its_next_use(postgres_app):
    """(What the test above guards against.)"""
    with postgres_app(None).app_context():
        _terminate(_backend_pid())
        time.sleep(0.3)
        with pytest.raises(sa.exc.OperationalError):
            db.session.scalar(sa.text("SELECT 1"))
        db.session.rollback()
        assert db.session.scalar(sa.text("SELECT 1")) == 1  # the pool recovers at once


def test_a_connection_back_from_use_a_moment_ago_is_not_tested(postgres_app, monkeypatch):
    with postgres_app(0.5).app_context():
        _backend_pid()
        pings = _count_pings(monkeypatch)
        for _ in range(5):  # requests in quick succession: no round trip before each
            _backend_pid()
        assert pings == []
        time.sleep(0.6)
        _backend_pid()
        assert pings == [1]
