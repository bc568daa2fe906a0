"""A member's thread and part pages: the cached public page plus their own layer.

What each member gets is theirs alone (their pending comments, counts, controls, CSRF token),
what a guest gets carries no member bits, the layered page is the page a full render gives, and
a warm member page costs at most four statements.
"""

import difflib
import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from forum.db import utcnow
from forum.extensions import db
from forum.notifications.models import Notification, Watch
from forum.series import member_page
from forum.testing import reads, sql_statements, writes


@pytest.fixture
def site(app, make_user, make_characteristic, make_part, make_comment):
    """Two threads; ann and bob each have a public comment in both (written a day ago: their edit
    window has closed) and a pending one in "trust", and a different number of unread
    notifications."""
    expert = make_user("expert", roles=("member", "expert"))
    ann, bob = make_user("ann"), make_user("bob")
    threads, characteristics = {}, {}
    for slug in ("trust", "care"):
        c = characteristics[slug] = make_characteristic(slug=slug, title=slug.title())
        make_part(characteristic=c, author=expert, part_number=1)
        threads[slug] = {
            "ann": make_comment(characteristic=c, author=ann, body=f"Ann says {slug}."),
            "bob": make_comment(characteristic=c, author=bob, body=f"Bob says {slug}."),
        }
    for comments in threads.values():
        for comment in comments.values():
            comment.created_at = utcnow() - timedelta(days=1)
    for user in (ann, bob):
        body = f"{user.username}-secret-pending"
        make_comment(
            characteristic=characteristics["trust"], author=user, body=body, status="pending"
        )
    for user, count in ((ann, 2), (bob, 5)):
        for i in range(count):
            db.session.add(Notification(user_id=user.id, kind="reply", text=f"note {i}"))
    db.session.commit()
    return {"ann": ann, "bob": bob, "expert": expert, "threads": threads, "c": characteristics}


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page)) | set(
        re.findall(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    )


def _user_nav(page: str) -> str:
    return page.split('<nav class="user-nav"', 1)[1].split("</nav>", 1)[0]


def _controls(page: str, comment_id: int) -> str:
    article = page.split(f'id="comment-{comment_id}"', 1)[1].split("</article>", 1)[0]
    return article.split('<footer class="comment-footer', 1)[1]


@pytest.mark.parametrize("slug", ["trust", "care"])
def test_two_members_never_see_each_others_bits(app, site, login_as, slug):
    """ "care" is served layered (neither has anything hidden there); "trust" in full (each has
    a pending comment there). Either way each member gets only their own."""
    pages, comments = {}, site["threads"][slug]
    for name in ("ann", "bob"):
        client = login_as(app.test_client(), site[name])
        client.get(f"/c/{slug}")  # the public page is now cached
        pages[name] = client.get(f"/c/{slug}").get_data(as_text=True)
    guest = app.test_client().get(f"/c/{slug}").get_data(as_text=True)
    ann, bob = pages["ann"], pages["bob"]

    assert 'Notifications <span class="badge">2</span>' in ann
    assert 'Notifications <span class="badge">5</span>' in bob
    assert "/u/ann" in _user_nav(ann) and "/u/bob" not in _user_nav(ann)
    assert "/u/bob" in _user_nav(bob) and "/u/ann" not in _user_nav(bob)
    assert len(_tokens(ann)) == 1 and len(_tokens(bob)) == 1 and _tokens(ann) != _tokens(bob)
    own, other = comments["ann"].id, comments["bob"].id
    assert "Delete" in _controls(ann, own) and "Flag" not in _controls(ann, own)
    assert "Flag" in _controls(ann, other) and "Delete" not in _controls(ann, other)
    assert "Delete" in _controls(bob, other) and "Delete" not in _controls(bob, own)
    form = f'action="/c/{slug}/comments"'
    assert form in ann and form in bob
    if slug == "trust":
        assert "ann-secret-pending" in ann and "bob-secret-pending" not in ann
        assert "bob-secret-pending" in bob and "ann-secret-pending" not in bob
    # a guest, before and after the members: nothing of theirs
    for bit in ("secret-pending", "csrf_token", "Notifications", "Log out", "Edit</a>", "Flag"):
        assert bit not in guest, bit
    assert "Comment as a guest" in guest


def test_the_layered_page_is_the_full_page(app, site, login_as, monkeypatch):
    """Spliced or rendered in full, a member's page is the same HTML."""
    client = login_as(app.test_client(), site["ann"])
    client.get("/c/care")
    with sql_statements(app) as seen:
        layered = client.get("/c/care").get_data(as_text=True)
    assert not any("comments.body_html" in s for s in seen)  # (no page query)
    monkeypatch.setattr(member_page, "thread", lambda slug: None)
    full = client.get("/c/care").get_data(as_text=True)
    # a token is the session's secret signed with the second it was made: compare the secrets
    assert {t.split(".")[0] for t in _tokens(layered)} == {t.split(".")[0] for t in _tokens(full)}
    layered, full = (re.sub(r'value="[^".]+\.[^"]+"', 'value="TOKEN"', p) for p in (layered, full))
    diff = difflib.unified_diff(layered.splitlines(), full.splitlines(), lineterm="", n=0)
    assert layered == full, "\n".join(list(diff)[:40])


def test_a_part_page_is_layered_for_readers_and_full_for_its_author(app, site, login_as):
    part_path = "/c/care/part/1"
    expert = login_as(app.test_client(), site["expert"])
    ann = login_as(app.test_client(), site["ann"])
    ann.get(part_path)
    page = ann.get(part_path).get_data(as_text=True)
    assert "Flag</a>" in page and "History</a>" not in page and _tokens(page)
    own = expert.get(part_path).get_data(as_text=True)
    assert "Edit</a>" in own and "History</a>" in own and "Flag</a>" not in own


@pytest.mark.parametrize("path", ["/c/care", "/c/care?page=1", "/c/care/part/1"])
def test_a_warm_member_page_costs_at_most_four_statements(app, site, login_as, path):
    """Warm: the member's session has its CSRF secret (the first page made it) and their page is
    kept; it is answered by the version read and the member's state statement alone."""
    client = login_as(app.test_client(), site["bob"])
    client.get(path)  # (the session's CSRF secret is made)
    with sql_statements(app) as seen:
        kept = client.get(path)  # rendered, spliced and kept
    assert kept.headers.get("X-Member-Layer") == "spliced" and "X-Member-Cache" not in kept.headers
    assert len(reads(seen)) <= 6 and not writes(seen), reads(seen)
    with sql_statements(app) as seen:
        response = client.get(path)
    assert response.status_code == 200 and response.headers["X-Member-Cache"] == "hit"
    assert len(reads(seen)) <= 4 and not writes(seen), reads(seen)
    assert response.get_data() == kept.get_data()


def test_a_kept_page_is_never_another_members_nor_a_logged_out_sessions(app, site, login_as):
    """Each member's kept page is theirs; ending the session (a new session token) ends it."""
    pages = {}
    for name in ("ann", "bob"):
        client = login_as(app.test_client(), site[name])
        for _ in range(3):
            response = client.get("/c/care")
        assert response.headers.get("X-Member-Cache") == "hit"
        pages[name] = (client, response.get_data(as_text=True))
    ann, bob = pages["ann"][1], pages["bob"][1]
    assert "/u/ann" in _user_nav(ann) and "/u/bob" not in _user_nav(ann)
    assert "/u/bob" in _user_nav(bob) and "/u/ann" not in _user_nav(bob)
    assert _tokens(ann) != _tokens(bob)
    with db.engine.begin() as conn:  # (past the ORM: the content version stays as it was)
        conn.execute(
            text("UPDATE users SET session_token = 'rotated' WHERE id = :id"),
            {"id": site["bob"].id},
        )
    after = pages["bob"][0].get("/c/care")
    assert "X-Member-Cache" not in after.headers
    assert "Log out" not in after.get_data(as_text=True) and not _tokens(after.get_data(True))


def test_a_kept_page_follows_the_members_roles_and_waiting_messages(app, site, login_as):
    """A role granted, or a message flashed for the next page, is never answered from the kept
    page."""
    from forum.accounts.services import grant_role

    client = login_as(app.test_client(), site["ann"])
    for _ in range(3):
        response = client.get("/c/care")
    assert response.headers.get("X-Member-Cache") == "hit"
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "flashed-for-ann")]
    response = client.get("/c/care")
    assert "X-Member-Cache" not in response.headers
    assert "flashed-for-ann" in response.get_data(as_text=True)
    grant_role(site["ann"], "moderator")
    db.session.commit()
    response = client.get("/c/care")
    assert "X-Member-Cache" not in response.headers and "X-Member-Layer" not in response.headers


def test_a_members_own_pending_comment_is_shown_at_once(app, site, login_as, make_comment):
    """A member who just posted (pending) gets the full page with it, not the cached one."""
    client = login_as(app.test_client(), site["bob"])
    for _ in range(3):
        kept = client.get("/c/care")
    assert kept.headers.get("X-Member-Cache") == "hit"  # (a pending comment moves no version)
    make_comment(
        characteristic=site["c"]["care"],
        author=site["bob"],
        body="bob-new-pending",
        status="pending",
    )
    assert "bob-new-pending" in client.get("/c/care").get_data(as_text=True)


def test_a_member_logged_in_through_the_form_gets_the_layered_page(app, site):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        data={"csrf_token": token, "username": "bob", "password": "correct horse battery"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    client.get("/c/care")
    response = client.get("/c/care")
    assert response.headers.get("X-Member-Layer") == "spliced"
    assert "Notifications" in response.get_data(as_text=True)


def test_a_reused_layer_still_shows_a_new_notification_and_the_watch(app, site, login_as):
    """A member's rendered layer is reused within a content version, keyed by what it shows."""
    client = login_as(app.test_client(), site["bob"])
    client.get("/c/care")
    assert 'Notifications <span class="badge">5</span>' in client.get("/c/care").get_data(True)
    assert client.get("/c/care").headers["X-Member-Cache"] == "hit"
    db.session.add(Notification(user_id=site["bob"].id, kind="reply", text="one more"))
    db.session.commit()
    page = client.get("/c/care")
    assert "X-Member-Cache" not in page.headers
    assert page.headers["X-Member-Layer"] == "spliced"
    assert 'Notifications <span class="badge">6</span>' in page.get_data(as_text=True)
    assert ">Watch</a>" in page.get_data(as_text=True)
    db.session.add(Watch(user_id=site["bob"].id, characteristic_id=site["c"]["care"].id))
    db.session.commit()
    assert ">Watching</a>" in client.get("/c/care").get_data(as_text=True)


def test_a_comment_in_its_edit_window_gets_the_full_render_with_its_countdown(
    app, site, login_as, make_comment
):
    """The Edit link counts down per comment, so it is no stand-in's: the page is rendered in
    full while one of the member's comments can still be edited, and spliced once none can."""
    ann = site["ann"]
    fresh = make_comment(characteristic=site["c"]["care"], author=ann, body="Just now.")
    client = login_as(app.test_client(), ann)
    app.test_client().get("/c/care")  # (the public page, cached)
    response = client.get("/c/care")
    assert response.headers.get("X-Member-Layer") is None
    assert "more minute" in _controls(response.get_data(as_text=True), fresh.id)
    fresh.created_at = utcnow() - timedelta(days=1)
    db.session.commit()
    response = client.get("/c/care")
    assert response.headers.get("X-Member-Layer") == "spliced"
    assert "more minute" not in _controls(response.get_data(as_text=True), fresh.id)


def test_a_member_in_another_language_or_zone_gets_their_own_render(app, site, login_as):
    """The public page speaks the language its key names and shows times in UTC: a member who
    reads Finnish, or lives in Helsinki, gets the page rendered for them, never a guest's."""
    ann = site["ann"]
    app.test_client().get("/c/care")  # the public (English, UTC) page, cached
    ann.timezone = "Europe/Helsinki"
    db.session.commit()
    response = login_as(app.test_client(), ann).get("/c/care")
    assert response.headers.get("X-Member-Layer") is None
    assert "Europe/Helsinki" in response.get_data(as_text=True)
    ann.timezone, ann.locale = None, "fi"
    db.session.commit()
    response = login_as(app.test_client(), ann).get("/c/care")
    assert response.headers.get("X-Member-Layer") is None
    assert '<html lang="fi">' in response.get_data(as_text=True)
    ann.locale = None
    db.session.commit()
    response = login_as(app.test_client(), ann).get("/c/care")
    assert response.headers.get("X-Member-Layer") == "spliced"


def test_a_kept_page_follows_the_members_read_position(app, site, login_as):
    """Reading moves no content version: the member's position keys the kept page, so the
    unread tab goes as soon as they have read the thread (written past the ORM)."""
    client = login_as(app.test_client(), site["bob"])
    for _ in range(3):
        page = client.get("/c/care")
    assert page.headers.get("X-Member-Cache") == "hit"
    assert "Jump to first unread" in page.get_data(as_text=True)
    newest = max(comment.id for comment in site["threads"]["care"].values())
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO thread_reads (user_id, characteristic_id, last_comment_id, updated_at)"
                " VALUES (:u, :c, :n, CURRENT_TIMESTAMP)"
            ),
            {"u": site["bob"].id, "c": site["c"]["care"].id, "n": newest},
        )
    page = client.get("/c/care")
    assert "X-Member-Cache" not in page.headers
    assert "Jump to first unread" not in page.get_data(as_text=True)
