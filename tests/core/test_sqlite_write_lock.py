"""SQLite: a writing request reads without the write lock and takes it at its first write.

Concurrent posters then queue only for their INSERTs and commit, not for their whole request
(issue 22: posting went from ~127 to ~236 comments a second). A write after another writer
committed must still succeed (SQLite refuses to upgrade a read transaction whose snapshot is
stale), and decisions re-read their row under the lock."""

import sqlite3
import threading

import pytest
import sqlalchemy as sa

from forum.db import lock_for_decision, write_intent, write_lock_at_first_write
from forum.discussion.models import Comment
from forum.extensions import db


@pytest.fixture
def late_lock(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    db.session.commit()
    token = write_lock_at_first_write.set(True)
    intent = write_intent.set(True)  # (a POST's: whatever an earlier test left)
    yield sqlite3.connect(
        db.engine.url.database, timeout=0.2, isolation_level=None, check_same_thread=False
    )
    write_intent.reset(intent)
    write_lock_at_first_write.reset(token)
    db.session.rollback()


def _write_elsewhere(other: sqlite3.Connection, value: str) -> None:
    other.execute("BEGIN IMMEDIATE")  # (fails within 0.2 s if the request held the lock)
    other.execute(
        "INSERT INTO site_setting (key, value) VALUES ('lock-test', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (value,),
    )
    other.execute("COMMIT")


def _setting() -> str | None:
    return db.session.scalar(sa.text("SELECT value FROM site_setting WHERE key = 'lock-test'"))


def test_reads_hold_no_write_lock_and_the_first_write_follows_other_commits(late_lock):
    assert _setting() is None  # the request's reads (its snapshot begins here)
    _write_elsewhere(late_lock, '"elsewhere"')  # another writer commits meanwhile
    db.session.execute(  # the request's first write: no "database is locked"
        sa.text("UPDATE site_setting SET value = '\"request\"' WHERE key = 'lock-test'")
    )
    assert _setting() == '"request"'
    db.session.commit()
    assert late_lock.execute(
        "SELECT value FROM site_setting WHERE key = 'lock-test'"
    ).fetchone() == ('"request"',)


def test_once_written_the_request_holds_the_lock_until_it_commits(late_lock):
    db.session.execute(sa.text("INSERT INTO site_setting (key, value) VALUES ('lock-test', '1')"))
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _write_elsewhere(late_lock, "2")


def test_a_decision_rereads_its_row_under_the_lock(late_lock, make_comment):
    comment = make_comment(status="pending")
    db.session.commit()
    assert db.session.get(Comment, comment.id).status == "pending"
    late_lock.execute("UPDATE comments SET status = 'approved' WHERE id = ?", (comment.id,))
    lock_for_decision(comment)  # (what a second moderator's approval sees)
    assert comment.status == "approved"
    done = threading.Event()

    def write():
        try:
            _write_elsewhere(late_lock, "3")
        except sqlite3.OperationalError:
            done.set()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    assert done.is_set()  # (the decision holds the lock)
