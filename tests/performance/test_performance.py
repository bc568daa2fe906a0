"""Statement budgets of the reader pages, no writes on GET, and the search index's O(log n) upkeep.

Counts, not timings: each test asserts how many SQL statements a request sends (whatever the
thread's size), which is what keeps a page's cost flat as a thread grows.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import url_for

from forum.extensions import db
from forum.routing import IdConverter
from forum.search.backends import SqliteBackend, backend
from forum.search.services import reindex
from forum.testing import reads, sql_statements, writes

FIXED = {
    "slug": "trust",
    "username": "ann",
    "kind": "comment",
    "name": "qa",
    "what": "start",
    "token": "no-such-token",
    "change": "disable",
    "action": "hide",
}


@pytest.fixture
def thread(make_user, make_characteristic, make_part, make_comment):
    def build(size):
        c = make_characteristic(slug="trust")
        ann = make_user("ann")
        make_part(
            characteristic=c, author=make_user("expert", roles=("member", "expert")), part_number=1
        )
        for i in range(size):
            make_comment(characteristic=c, author=ann, body=f"Comment {i} about trust.")
        make_comment(characteristic=c, author=ann, body="waiting", status="pending")
        return c, ann

    return build


def _count(client, path):
    client.get(path)  # warm the process caches the way a running worker has them
    with sql_statements(client.application) as seen:
        response = client.get(path)
    assert response.status_code == 200, path
    return reads(seen), writes(seen)


@pytest.fixture
def cached(make_app, tmp_path):
    """The app as deployed: the shared page cache on (it also carries plugins_version)."""
    return make_app(FORUM_PAGE_CACHE=True, FORUM_PAGE_CACHE_DIR=str(tmp_path / "pages"))


@pytest.mark.parametrize("size", [3, 45])
def test_thread_page_statement_budget(cached, thread, login_as, size):
    """Member rendered in full: at most 10 statements in all (one is the state statement that
    keys members' kept pages, read before the page cache knows the page is not theirs to keep);
    anonymous: at most 5 behind the cache's version query
    (one of them the scheduled parts' teasers, listed as "coming soon" among the parts)."""
    c, ann = thread(size)
    last = (size + 19) // 20
    for path in ("/c/trust", f"/c/trust?page={last}"):
        member, member_writes = _count(login_as(cached.test_client(), ann), path)
        assert 4 <= len(member) <= 10, member  # (a lower bound: the counter does see them)
        cookie = {"Cookie": "nocache=1"}  # not a personal cookie: still anonymous, still cached
        with sql_statements(cached) as seen:
            response = cached.test_client().get(
                path + "&x=1" if "?" in path else path + "?x=1", headers=cookie
            )
        assert response.status_code == 200 and response.headers["X-Page-Cache"] == "miss"
        anon = reads(seen)
        versions = [s for s in anon if "site_setting" in s]  # (none when a watcher keeps it)
        assert len(versions) <= 1 and len(anon) - len(versions) <= 5, anon
        assert not member_writes and not writes(seen)


def test_member_sees_own_pending_in_the_count(cached, thread, login_as, make_user):
    """The fast count (public, cached, plus the reader's own) agrees with what the page shows."""
    c, ann = thread(25)  # 25 public + 1 pending of ann's
    other = make_user("bob")
    as_ann = login_as(cached.test_client(), ann)
    as_bob = login_as(cached.test_client(), other)
    assert b"26 comments" in as_ann.get("/c/trust").data or b"26" in as_ann.get("/c/trust").data
    page2 = as_ann.get("/c/trust?page=2").get_data(as_text=True)
    assert "waiting" in page2 and "Comment 24 about trust" in page2
    page2 = as_bob.get("/c/trust?page=2").get_data(as_text=True)
    assert (
        "waiting" not in page2
        and "Comment 24 about trust" in page2
        and "Comment 19 about" not in page2
    )
    assert as_bob.get("/c/trust?page=3").status_code == 404
    # an approval changes the content version: the cached public count follows at once
    from forum.discussion.models import Comment

    db.session.execute(
        sa.update(Comment).where(Comment.body_source == "waiting").values(status="approved")
    )
    db.session.commit()
    page2 = as_bob.get("/c/trust?page=2").get_data(as_text=True)
    assert "waiting" in page2


def _get_rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" in rule.methods and not rule.endpoint.endswith("static"):
            yield rule


def _url(app, rule):
    values = {}
    for arg, conv in rule._converters.items():
        values[arg] = 1 if isinstance(conv, IdConverter) else FIXED.get(arg, "x")
    with app.test_request_context():
        try:
            return url_for(rule.endpoint, **values)
        except Exception:
            return None


def test_no_writes_on_get_anywhere(app, thread, login_as):
    """Every GET route, as anonymous and as a member: not one INSERT/UPDATE/DELETE is sent."""
    thread(3)
    ann = db.session.execute(sa.text("SELECT id FROM users WHERE username = 'ann'")).scalar()
    from forum.accounts.models import User

    member = db.session.get(User, ann)
    found, visited = [], 0
    for rule in _get_rules(app):
        url = _url(app, rule)
        if url is None:
            continue
        for client in (app.test_client(), login_as(app.test_client(), member)):
            with sql_statements() as seen:
                status = client.get(url).status_code
            visited += status == 200
            assert status < 500, url
            found += [(url, s[:80]) for s in writes(seen)]
    assert visited > 20  # the walk reached real pages
    assert not found, found


def test_search_upsert_and_remove_touch_one_entry(
    app, make_comment, make_characteristic, make_user
):
    c = make_characteristic(slug="trust")
    comments = [
        make_comment(characteristic=c, author=make_user(), body=f"Patience number {i}.")
        for i in range(3)
    ]
    reindex()
    engine = backend()
    count = engine.count()
    with sql_statements() as seen:
        from forum.search.services import index_object

        index_object(comments[0])
        index_object(comments[0])
    assert engine.count() == count  # replaced, not duplicated
    if isinstance(engine, SqliteBackend):
        deletes = [s for s in writes(seen) if s.startswith("DELETE")]
        assert not any("content_type" in s for s in deletes), deletes  # never a full-table scan
        assert any("INSERT OR REPLACE" in s for s in writes(seen))
    engine.remove("comment", comments[0].id)
    assert engine.count() == count - 1
    assert reindex()["comment"] == 3 and engine.count() == count


def test_anonymous_thread_with_the_page_cache(make_app, thread, tmp_path):
    """A miss: the cache's version query (which also reads plugins_version) plus at most 5 (one
    for the scheduled parts' teasers); a hit: none once each worker keeps the version (until the
    database notifies a change, or its files move: ``forum.pagecache.watchers``), else 1."""
    cached = make_app(FORUM_PAGE_CACHE=True, FORUM_PAGE_CACHE_DIR=str(tmp_path / "pages"))
    with cached.app_context():
        thread(45)
        client = cached.test_client()
        with sql_statements() as miss:
            first = client.get("/c/trust?page=2")
        with sql_statements() as hit:
            second = client.get("/c/trust?page=2")
    assert first.headers["X-Page-Cache"] == "miss" and second.headers["X-Page-Cache"] == "hit"
    assert first.data == second.data
    assert len(reads(miss)) <= 1 + 5, reads(miss)
    assert len(reads(hit)) <= 1, reads(hit)


def test_a_post_never_reads_the_cache_version_on_a_second_connection(
    cached, thread, login_as, make_user
):
    """On SQLite a POST's session holds the write lock: the store's own connection would wait on
    it (busy timeout) -- so unsafe requests take the plugins version from their own session."""
    c, ann = thread(1)
    trusted = make_user("tess", trusted_override=True)
    client = login_as(cached.test_client(), trusted)
    with sql_statements(cached) as seen:
        response = client.post(
            "/c/trust/comments", data={"body": "Posted while cached.", "body_format": "markdown"}
        )
    assert response.status_code == 302
    before_insert = seen[
        : next(i for i, s in enumerate(seen) if s.startswith("INSERT INTO comments"))
    ]
    if db.engine.dialect.name == "sqlite":  # (psycopg begins implicitly: no BEGIN statement)
        assert len([s for s in before_insert if s.startswith("BEGIN")]) == 1, before_insert
    assert not [s for s in seen if "site_setting WHERE key IN" in s], seen
    assert (
        b"Posted while cached." in cached.test_client().get("/c/trust").data
    )  # the cache followed


def test_a_trusted_post_is_one_transaction(cached, thread, login_as, make_user):
    """A trusted member's reply fires content_created and content_published; search and
    notifications run them in the comment's own transaction (``forum_events_in_transaction``),
    so the post commits once, with the index entry and the notice (issue 22)."""
    c, ann = thread(1)
    client = login_as(cached.test_client(), make_user("tess", trusted_override=True))
    client.get("/c/trust")
    with cached.app_context():
        engine = db.engine
    commits = []

    def count(conn):
        commits.append(1)

    sa.event.listen(engine, "commit", count)
    try:
        response = client.post(
            "/c/trust/comments",
            data={"body": "Replying to @ann about fireflies.", "body_format": "markdown"},
        )
    finally:
        sa.event.remove(engine, "commit", count)
    assert response.status_code == 302
    assert len(commits) == 1, commits
    # and what the handlers wrote in that transaction is there: the mention, the index
    assert b"mentioned you" in login_as(cached.test_client(), ann).get("/notifications").data
    assert b"fireflies" in cached.test_client().get("/search?q=fireflies").data


def test_a_post_waiting_for_review_writes_no_cache_version(cached, thread, login_as, make_user):
    """A pending comment changes no public page: its post is the INSERT alone, no version bump.
    A trusted member's comment is announced public (content_published), so it bumps without
    asking the policy first; indexing it in the same transaction needs no second bump."""
    thread(1)
    newcomer, trusted = make_user("newbie"), make_user("tess", trusted_override=True)
    for user, bumps in ((newcomer, 0), (trusted, 1)):
        client = login_as(cached.test_client(), user)
        client.get("/c/trust")
        with sql_statements(cached) as seen:
            response = client.post(
                "/c/trust/comments", data={"body": f"By {user.username}", "body_format": "markdown"}
            )
        assert response.status_code == 302
        assert len([s for s in writes(seen) if "site_setting" in s]) == bumps, writes(seen)
        insert_at = next(i for i, s in enumerate(seen) if s.startswith("INSERT INTO comments"))
        if bumps:  # announced public: the cache asks no policy question (search asks its one)
            bump_at = next(
                i for i, s in enumerate(seen) if s.startswith("INSERT INTO site_setting")
            )
            asked = [s for s in seen[insert_at + 1 : bump_at] if s.startswith("SELECT comments")]
            assert insert_at < bump_at and len(asked) == 1, seen


def test_a_plain_comment_read_nothing_more_to_notify_nobody(cached, thread, login_as, make_user):
    """Who to tell comes first: a comment that answers and names nobody costs notifications no
    query (no policy check, no thread or author reload) once it is published."""
    thread(1)
    client = login_as(cached.test_client(), make_user("tess", trusted_override=True))
    client.get("/c/trust")
    with sql_statements(cached) as seen:
        response = client.post(
            "/c/trust/comments", data={"body": "Plainly said.", "body_format": "markdown"}
        )
    assert response.status_code == 302
    after = seen[next(i for i, s in enumerate(seen) if s.startswith("INSERT INTO comments")) + 1 :]
    assert not [
        s
        for s in after
        if s.startswith("SELECT") and (" FROM characteristics" in s or " FROM users" in s)
    ], after
    assert len([s for s in after if s.startswith("SELECT comments.id FROM comments")]) == 1, (
        after
    )  # search's


def test_an_untrusted_post_asks_no_is_it_public_question(cached, thread, login_as, make_user):
    """An untrusted member's comment enters the review queue, which by the product's first rule
    is never public: no "is it public?" query, no version bump. What is left: the member, the
    settings (with the plugins counter), the characteristic, the INSERT (issue 22)."""
    c, ann = thread(1)
    client = login_as(cached.test_client(), make_user("una"))
    client.get("/c/trust")
    with cached.app_context():
        store = cached.extensions["forum.pagecache"]
        before = store.get_version()["v"]
    with sql_statements(cached) as seen:
        response = client.post(
            "/c/trust/comments", data={"body": "Waiting my turn.", "body_format": "markdown"}
        )
    assert response.status_code == 302
    statements = [s for s in seen if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]
    assert not [s for s in statements if s.startswith("SELECT comments.id")], statements
    assert len(statements) == 4, statements
    with cached.app_context():
        assert store.get_version()["v"] == before
