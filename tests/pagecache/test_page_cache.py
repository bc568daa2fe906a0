"""The anonymous page cache: shared, invalidated exactly when public content changes."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from forum.db import utcnow
from forum.extensions import db
from forum.testing import write_content_version


@pytest.fixture
def cached_app(app):
    return app


def get(client, path="/"):
    response = client.get(path)
    return response.headers.get("X-Page-Cache"), response.get_data(as_text=True)


def test_second_anonymous_view_is_a_hit(cached_app, make_characteristic):
    make_characteristic(title="Confidentiality")
    client = cached_app.test_client()
    assert get(client)[0] == "miss"
    state, page = get(client)
    assert state == "hit" and "Confidentiality" in page


def test_logged_in_readers_bypass(cached_app, make_user, login_as):
    client = cached_app.test_client()
    get(client)
    login_as(client, make_user())
    assert get(client)[0] is None


def test_a_commit_of_content_invalidates(cached_app, make_characteristic):
    client = cached_app.test_client()
    get(client)
    assert get(client)[0] == "hit"
    make_characteristic(title="Brand new trait")
    state, page = get(client)
    assert state == "miss" and "Brand new trait" in page


def test_quiet_tables_keep_the_cache(cached_app, make_characteristic):
    from forum.audit.log import record

    make_characteristic(title="Trust")
    client = cached_app.test_client()
    get(client)
    record("test.action", None, "comment", 1, "why")
    db.session.commit()
    assert get(client)[0] == "hit"


def test_scheduled_part_goes_live_without_a_commit(cached_app, make_part, make_characteristic):
    ch = make_characteristic(title="Respect")
    part = make_part(
        characteristic=ch, publish_at=utcnow() + timedelta(days=1), title="Scheduled part"
    )
    client = cached_app.test_client()
    get(client, f"/c/{ch.slug}")
    assert get(client, f"/c/{ch.slug}")[0] == "hit"
    # time passes: the part's date is now in the past (written behind the ORM's back, no bump)
    past = (utcnow() - timedelta(minutes=1)).replace(tzinfo=None)
    store = cached_app.extensions["forum.pagecache"]
    with db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE parts SET publish_at = :p WHERE id = :i"), {"p": past, "i": part.id}
        )
    version = store.get_version()
    assert version["next"] is not None  # the cache knew when the part would go live
    write_content_version(cached_app, {"v": version["v"], "next": 1.0})
    state, page = get(client, f"/c/{ch.slug}")
    assert state == "miss" and "Scheduled part" in page


def test_responses_with_cookies_are_not_stored(cached_app):
    client = cached_app.test_client()
    # the login form sets a CSRF session cookie: it must never be served to someone else
    assert get(client, "/login")[0] == "miss"
    fresh = cached_app.test_client()
    assert get(fresh, "/login")[0] == "miss"


def test_the_version_read_holds_no_transaction_and_survives_a_lost_connection(
    cached_app, make_characteristic
):
    """Hits read the version on a pooled autocommit connection given back at once: nothing stays
    open (an open SQLite read transaction would pin an old snapshot, and the cache would never
    move on), and no connection stays with the thread that used it."""
    client = cached_app.test_client()
    readers = cached_app.extensions["forum.pagecache"].readers
    assert get(client)[0] == "miss" and get(client)[0] == "hit"
    pool = readers.engine.pool
    assert pool.checkedout() == 0
    with readers.engine.connect() as conn:
        dbapi = conn.connection.dbapi_connection
        if db.engine.dialect.name == "sqlite":
            assert not dbapi.in_transaction
        else:
            assert dbapi.info.transaction_status == 0  # idle: not in a transaction
    make_characteristic(title="Courage")  # a commit elsewhere bumps the version
    state, page = get(client)
    assert state == "miss" and "Courage" in page
    pooled = pool.connect()
    pooled.dbapi_connection.close()  # e.g. the database restarted
    pooled.close()  # back into the pool, dead
    assert get(client)[0] == "hit"
    assert pool.checkedout() == 0


def test_a_thread_per_request_server_holds_no_connection_per_thread(cached_app):
    """``flask run`` starts a thread per request: after many threads, no reader is left behind."""
    import threading

    client = cached_app.test_client()
    get(client)
    readers = cached_app.extensions["forum.pagecache"].readers
    threads = [threading.Thread(target=lambda: get(cached_app.test_client())) for _ in range(40)]
    for thread in threads:
        thread.start()
        thread.join()
    pool = readers.engine.pool
    assert pool.checkedout() == 0 and pool.checkedin() <= pool.size()
    with cached_app.app_context():
        assert db.engine.pool.checkedout() == 0


@pytest.mark.xdist_group("redis-page-cache")
def test_with_redis_a_request_reads_the_version_before_its_first_query(
    make_app, make_characteristic, make_user, login_as, monkeypatch
):
    """Else a SQLite snapshot taken before a commit could be filed under the version after it."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/13"
    redis.Redis.from_url(url).flushdb()
    app = make_app(FORUM_PAGE_CACHE=True, REDIS_URL=url)
    store = app.extensions["forum.pagecache"]
    assert type(store).__name__ == "RedisStore"
    make_characteristic(slug="trust")
    seen = []
    read_version = store.get_version
    monkeypatch.setattr(store, "get_version", lambda: seen.append("version") or read_version())
    with app.app_context():
        engine = db.engine
    client = login_as(app.test_client(), make_user("ann"))  # (its own SQL comes before)
    listener = lambda *args: seen.append("sql")  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get("/c/trust")
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 200
    assert seen[0] == "version" and "sql" in seen


def test_two_first_bumps_at_once_both_succeed(cached_app):
    """A new database has no version row yet: two first writers must not both INSERT it."""
    import threading
    import time

    store = cached_app.extensions["forum.pagecache"]
    engine = db.engine
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM site_setting WHERE key = 'content_version'"))
    first = engine.connect()
    first_transaction = first.begin()
    store.bump(first)
    errors = []

    def second():
        try:
            with engine.begin() as conn:
                store.bump(conn)
        except Exception as error:  # the old UPDATE-then-INSERT: a unique violation on PostgreSQL
            errors.append(error)

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.5)  # the second waits on the first's key (PostgreSQL) or write lock (SQLite)
    first_transaction.commit()
    first.close()
    thread.join(30)
    assert not errors, errors
    assert store.get_version()["v"] != 0  # the row is there, with a version


def _version(app):
    return app.extensions["forum.pagecache"].get_version()["v"]


def test_a_comment_waiting_for_review_keeps_the_cache_until_approved(
    cached_app, make_characteristic, make_user, make_comment
):
    ch, author = make_characteristic(title="Patience"), make_user()
    client = cached_app.test_client()
    get(client, f"/c/{ch.slug}")
    before = _version(cached_app)
    pending = make_comment(
        characteristic=ch, author=author, body="Waiting for a moderator", status="pending"
    )
    assert _version(cached_app) == before  # no public page changed
    state, page = get(client, f"/c/{ch.slug}")
    assert state == "hit" and "Waiting for a moderator" not in page
    pending.status = "approved"
    db.session.commit()
    state, page = get(client, f"/c/{ch.slug}")
    assert state == "miss" and "Waiting for a moderator" in page


def test_a_public_comment_or_a_second_change_in_the_same_commit_invalidates(
    cached_app, make_characteristic, make_user, make_comment
):
    from forum.discussion.models import Comment

    ch = make_characteristic(title="Honesty")
    author = make_user()
    before = _version(cached_app)
    make_comment(characteristic=ch, author=author, body="Approved at once")
    after_public = _version(cached_app)
    assert after_public != before
    db.session.add(
        Comment(
            characteristic_id=ch.id,
            author_id=author.id,
            body_source="p",
            body_html="<p>p</p>",
            status="pending",
        )
    )
    ch.title = "Honesty, renamed"  # the same commit also changes a public row
    db.session.commit()
    assert _version(cached_app) != after_public


def test_an_edit_of_a_pending_comment_still_invalidates(
    cached_app, make_characteristic, make_user, make_comment
):
    """Only new unseen rows are quiet: an edit may be of a row that was public before."""
    pending = make_comment(
        characteristic=make_characteristic(), author=make_user(), status="pending"
    )
    before = _version(cached_app)
    assert pending.status == "pending"
    pending.body_source = "edited"
    db.session.commit()
    assert _version(cached_app) != before


def test_shared_renderings_are_not_used_once_a_scheduled_part_is_due(cached_app):
    """Until a request moves the version, a version whose next publish time has passed may
    describe pages without the part that just went live: nothing is cached under it."""
    import time

    from forum.pagecache.middleware import CONTENT_NEXT_ENVIRON, CONTENT_VERSION_ENVIRON
    from forum.pagecache.versioned import versioned_cache

    for next_publish, usable in ((None, True), (time.time() + 60, True), (time.time() - 1, False)):
        with cached_app.test_request_context("/"):
            from flask import request

            request.environ.update({CONTENT_VERSION_ENVIRON: 7, CONTENT_NEXT_ENVIRON: next_publish})
            assert (versioned_cache("test.cache") is not None) is usable


def test_with_redis_a_savepoint_never_moves_the_version_before_the_commit(
    make_app, make_characteristic
):
    """SQLAlchemy reports a savepoint's release as a commit: a bump then would let a reader file
    the old rows under the new version until the next change."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/13"
    app = make_app(FORUM_PAGE_CACHE=True, REDIS_URL=url)
    store = app.extensions["forum.pagecache"]
    ch_id = make_characteristic(title="Before").id
    db.session.rollback()  # (the default app's session lets go of SQLite's lock)
    from forum.series.models import Characteristic

    with app.app_context():
        before = store.get_version()["v"]
        with db.session.begin_nested():
            db.session.get(Characteristic, ch_id).title = "Renamed in a savepoint"
        assert store.get_version()["v"] == before
        db.session.commit()
        assert store.get_version()["v"] != before
    assert redis  # (imported to skip without the client library)
