"""A worker keeps the content version it read until the database says it changed.

On PostgreSQL a trigger (migration core_0011) notifies every write to ``site_setting`` and each
process listens; on SQLite each process watches the database's files (every commit moves them):
either way a cache hit costs no statement. Either
way a change written by anyone else (another worker, another host, the CLI: here, a connection
of its own, past the app) is seen by the next request, and a lost listener never serves stale
pages.
"""

import json
import os
import time

import pytest
from sqlalchemy import create_engine, select, text

from forum.extensions import db
from forum.pagecache.watchers import FileWatcher, VersionWatcher
from forum.series.models import Characteristic
from forum.testing import reads, sql_statements


@pytest.fixture
def cached(make_app, tmp_path, make_characteristic):
    app = make_app(FORUM_PAGE_CACHE=True, FORUM_PAGE_CACHE_DIR=str(tmp_path / "pages"))
    with app.app_context():
        make_characteristic(slug="trust", title="Trust")
    return app


def _bump_elsewhere(app) -> None:
    """A new content version, committed on a connection of its own (as another host would)."""
    with app.app_context():
        other = create_engine(db.engine.url)
    value = json.dumps({"v": time.time_ns(), "next": None})
    with other.begin() as conn:
        conn.execute(
            text("UPDATE site_setting SET value = :v WHERE key = 'content_version'"), {"v": value}
        )
    other.dispose()


def _served_fresh(client, path: str) -> bool:
    """The next request is a miss (the new version's page), allowing a notice a moment to come."""
    for _ in range(100):
        if client.get(path).headers["X-Page-Cache"] == "miss":
            return True
        time.sleep(0.01)
    return False


def test_a_version_written_elsewhere_is_seen_by_the_next_requests(cached):
    client = cached.test_client()
    client.get("/c/trust")
    assert client.get("/c/trust").headers["X-Page-Cache"] == "hit"
    _bump_elsewhere(cached)
    assert _served_fresh(client, "/c/trust")
    assert client.get("/c/trust").headers["X-Page-Cache"] == "hit"


def test_postgres_hits_cost_no_statement_and_a_lost_listener_reads_again(cached):
    watcher = cached.extensions["forum.pagecache"].watcher
    if not isinstance(watcher, VersionWatcher):
        pytest.skip("PostgreSQL's listener")
    client = cached.test_client()
    client.get("/c/trust")
    with sql_statements(cached) as seen:
        assert client.get("/c/trust").headers["X-Page-Cache"] == "hit"
    assert reads(seen) == []
    listener = watcher._conn.pgconn.backend_pid  # (this app's: other tests' run beside it)
    with cached.app_context(), db.engine.begin() as conn:  # the listener's session is killed
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": listener})
    time.sleep(0.05)
    with sql_statements(cached) as seen:
        assert client.get("/c/trust").status_code == 200
    assert any("site_setting" in s for s in reads(seen))  # (no listener: it read the version)
    _bump_elsewhere(cached)
    assert client.get("/c/trust").headers["X-Page-Cache"] == "miss"


def test_a_commit_in_this_process_is_seen_at_once_by_every_app_here(cached, make_app, tmp_path):
    """The notice of a commit may come a moment later: a bump committed in this process (here
    through a second app on the same database) drops every kept version here at once. (A test
    on the database's own notice would pass by luck most of the time; this one looks before
    the listener can have read it.)"""
    watcher = cached.extensions["forum.pagecache"].watcher
    client = cached.test_client()
    client.get("/c/trust")
    time.sleep(FileWatcher.SETTLE * 2)  # (SQLite keeps a version read once its files are still)
    assert client.get("/c/trust").headers["X-Page-Cache"] == "hit"
    assert watcher.keeps()
    second = make_app(FORUM_PAGE_CACHE=True, FORUM_PAGE_CACHE_DIR=str(tmp_path / "second"))
    with second.app_context():
        db.session.scalar(select(Characteristic).filter_by(slug="trust")).title = "Trust, again"
        db.session.commit()
    assert not watcher.keeps()
    assert "Trust, again" in client.get("/c/trust").get_data(as_text=True)


def test_sqlite_hits_cost_no_statement_once_the_files_are_still(cached):
    """A kept version answers hits; a commit elsewhere moves the files, seen by the very next
    request (no notice to wait for)."""
    if not isinstance(cached.extensions["forum.pagecache"].watcher, FileWatcher):
        pytest.skip("SQLite's file watcher")
    client = cached.test_client()
    client.get("/c/trust")
    time.sleep(FileWatcher.SETTLE * 2)
    client.get("/c/trust")
    with sql_statements(cached) as seen:
        assert client.get("/c/trust").headers["X-Page-Cache"] == "hit"
    assert reads(seen) == []
    _bump_elsewhere(cached)
    assert client.get("/c/trust").headers["X-Page-Cache"] == "miss"


def test_a_version_read_just_after_the_files_moved_is_not_kept(tmp_path):
    """A file's time moves in coarse ticks: a commit in the same tick as the kept read would leave
    the files looking unchanged, so a read that close to the last change is never kept."""
    database = tmp_path / "forum.sqlite3"
    database.write_bytes(b"one")
    watcher, reads_made = FileWatcher(str(database)), []

    def read():
        reads_made.append(1)
        return {"v": len(reads_made)}

    assert watcher.version(read) == {"v": 1} and watcher.version(read) == {"v": 2}
    assert not watcher.keeps()  # (written just now)
    settled = time.time() - 1
    os.utime(database, (settled, settled))
    assert watcher.version(read) == {"v": 3} and watcher.version(read) == {"v": 3}
    assert watcher.keeps()
    (tmp_path / "forum.sqlite3-wal").write_bytes(b"a commit")
    os.utime(tmp_path / "forum.sqlite3-wal", (settled, settled))  # (even within the same tick)
    assert watcher.version(read) == {"v": 4}
