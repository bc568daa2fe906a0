"""Concurrency and durability under a real server: gunicorn with several workers, a burst of
comments from many clients, SIGKILL partway, restart; every acknowledged comment is there exactly
once, the database is intact, nothing answered 5xx. Two approvals race and approve once."""

from __future__ import annotations

import http.client
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from servers import Browser, Server, request, session_cookie

from forum.extensions import db

THREADS, PER_THREAD, KILL_AFTER = 8, 10, 30


@pytest.fixture
def server_factory(app, database_url, tmp_path):
    servers = []

    def start(**env):
        server = Server(database_url, tmp_path, **env).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def _burst(port_of, cookies_list, slug, answers, kill=None):
    """Each client posts PER_THREAD unique comments; ``kill()`` runs once KILL_AFTER answers are in."""
    lock, killed = threading.Lock(), threading.Event()

    def client(cookies):
        browser = Browser(port_of(), cookies)
        token = browser.csrf_token(f"/c/{slug}")
        for _ in range(PER_THREAD):
            text = f"burst {uuid.uuid4().hex}"
            browser.port = port_of()
            try:
                status, headers, _b = browser.post(
                    f"/c/{slug}/comments",
                    {"body": text, "body_format": "markdown", "csrf_token": token},
                )
            except (OSError, http.client.HTTPException):  # killed mid-answer: an unknown outcome
                status, headers = None, {}
            with lock:
                answers.append((text, status, headers.get("location", "")))
                if kill and len(answers) >= KILL_AFTER and not killed.is_set():
                    killed.set()
                    kill()

    with ThreadPoolExecutor(len(cookies_list)) as pool:
        list(pool.map(client, cookies_list))


def _check_integrity():
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        else:
            orphans = conn.execute(
                sa.text(
                    "SELECT count(*) FROM comments c LEFT JOIN users u ON u.id = c.author_id "
                    "WHERE c.author_id IS NOT NULL AND u.id IS NULL"
                )
            ).scalar()
            assert orphans == 0


def _bodies() -> dict[str, int]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT body_source, count(*) FROM comments GROUP BY body_source")
        ).all()
    return dict(rows)


@pytest.mark.slow
def test_comment_burst_survives_sigkill(app, make_user, make_characteristic, server_factory):
    c = make_characteristic(slug="trust")
    members = [make_user(trusted_override=True) for _ in range(THREADS)]
    cookies = [session_cookie(app, m) for m in members]
    slug = c.slug
    db.session.commit()  # hold no SQLite lock while the server writes
    first = server_factory(workers=3)
    current = {"server": first}
    answers: list = []
    _burst(lambda: current["server"].port, cookies, slug, answers, kill=first.kill)
    assert first.proc.poll() is not None, "the server was killed partway"
    current["server"] = server_factory(workers=3)  # restart on the same database
    _burst(lambda: current["server"].port, cookies[:4], slug, answers)

    statuses = [s for _t, s, _l in answers]
    assert not [s for s in statuses if s is not None and s >= 500], statuses
    acknowledged = [t for t, s, loc in answers if s in (302, 303) and "/comments/" in loc]
    assert len(acknowledged) >= KILL_AFTER  # the burst really ran, before and after the restart
    assert None in statuses  # and the kill really cut requests off
    bodies = _bodies()
    missing = [t for t in acknowledged if bodies.get(t) != 1]
    assert not missing, missing
    assert all(n == 1 for t, n in bodies.items() if t.startswith("burst ")), (
        "a comment was stored twice"
    )
    _check_integrity()


@pytest.mark.slow
def test_two_racing_approvals_approve_once(app, make_user, make_comment, server_factory):
    from forum.audit.models import AuditEntry

    author = make_user()
    comment = make_comment(author=author, status="pending")
    moderators = [
        make_user(roles=("member", "moderator"), totp_secret="JBSWY3DPEHPK3PXP") for _ in range(2)
    ]
    comment_id = comment.id
    cookies = [session_cookie(app, m) for m in moderators]
    db.session.commit()
    server = server_factory(workers=4)
    browsers = [Browser(server.port, c) for c in cookies]
    tokens = [b.csrf_token("/moderation/queue") for b in browsers]
    for _round in range(3):
        barrier = threading.Barrier(2)

        def decide(i, barrier=barrier):
            barrier.wait()
            return browsers[i].post(
                "/moderation/queue",
                {"decide": f"approve:comment:{comment_id}", "csrf_token": tokens[i]},
            )[0]

        with ThreadPoolExecutor(2) as pool:
            statuses = list(pool.map(decide, range(2)))
        assert all(s < 500 for s in statuses), statuses
    db.session.expire_all()
    from forum.visibility import as_actor

    with as_actor(moderators[0]):
        entries = (
            db.session.execute(
                sa.select(AuditEntry).where(
                    AuditEntry.action == "comment.approve", AuditEntry.target_id == comment_id
                )
            )
            .scalars()
            .all()
        )
    assert len(entries) == 1
    db.session.refresh(author)
    assert author.approved_comment_count == 1


@pytest.mark.slow
def test_server_limits_and_headers(server_factory):
    server = server_factory(workers=1)
    status, headers, body = request(server.port, "GET", "/")
    assert status == 200
    assert not any(ch.isdigit() for ch in headers.get("server", "")), headers.get("server")
    # gunicorn's own limits, before the app: the request line, then one header's size
    assert request(server.port, "GET", "/search?q=" + "a" * 9000)[0] == 414
    assert request(server.port, "GET", "/", {"X-Long": "b" * 20_000})[0] == 431
    status, _h, body = request(server.port, "GET", "/comments/99999999999999999999")
    assert status == 404 and "Traceback" not in body
