"""Comments: members and guests, moderation, replies, the edit window, soft delete, pagination."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.audit.models import AuditEntry
from forum.db import utcnow
from forum.discussion import services
from forum.discussion.models import Comment
from forum.extensions import db


@pytest.fixture
def thread(make_characteristic):
    return make_characteristic(
        slug="respect", title="Respect", prompts=("Why does respect matter?",)
    )


@pytest.fixture
def guest_app(app):
    app.config["GUEST_MIN_FILL_SECONDS"] = 0  # no waiting in tests
    return app


def _all_comments():
    from forum.visibility import SYSTEM, as_actor

    with as_actor(SYSTEM):
        return db.session.execute(select(Comment).order_by(Comment.id)).scalars().all()


def test_trusted_member_comment_is_public_at_once(client, thread, make_user, login_as):
    member = make_user("mia", trusted_override=True)
    login_as(client, member)
    response = client.post("/c/respect/comments", data={"body": "Respect is **listening**."})
    assert response.status_code == 302
    client.post("/logout")
    page = client.get("/c/respect").data.decode()
    assert "Respect is <strong>listening</strong>." in page


def test_new_member_waits_and_sees_own_pending_note(client, thread, make_user, login_as):
    member = make_user("newbie")
    login_as(client, member)
    client.post("/c/respect/comments", data={"body": "My first words"})
    own = client.get("/c/respect").data.decode()
    assert "My first words" in own and "Waiting for approval" in own
    client.post("/logout")
    assert "My first words" not in client.get("/c/respect").data.decode()


def test_guest_comment_hidden_until_approved(guest_app, thread, make_user):
    client = guest_app.test_client()
    thread_page = client.get("/c/respect").data.decode()
    assert "Why does respect matter?" in thread_page and "/c/respect/comments/new" in thread_page
    form = client.get("/c/respect/comments/new").data.decode()
    assert "Why does respect matter?" in form and 'name="guest_email"' in form
    import re

    started = (
        re.search(r'name="started" type="hidden" value="([^"]+)"', form)
        or re.search(r'type="hidden" name="started" value="([^"]+)"', form)
        or re.search(r'id="started" name="started" type="hidden" value="([^"]+)"', form)
    )
    assert started, "the guest form carries a signed start time"
    response = client.post(
        "/c/respect/comments",
        data={
            "body": "Guest thoughts",
            "guest_name": "Pat",
            "guest_email": "pat@example.com",
            "started": started.group(1),
            "website": "",
        },
    )
    assert response.status_code == 302
    page = client.get("/c/respect").data.decode()
    assert "Guest thoughts" not in page and "pat@example.com" not in page
    (comment,) = _all_comments()
    assert comment.status == "pending" and comment.author_id is None
    moderator = make_user("mod", roles=("member", "moderator"))
    assert services.approve_comment(comment, moderator) is True
    assert services.approve_comment(comment, moderator) is False  # idempotent
    db.session.commit()
    page = client.get("/c/respect").data.decode()
    assert "Guest thoughts" in page and "Pat" in page and "pat@example.com" not in page
    entries = (
        db.session.execute(select(AuditEntry).where(AuditEntry.action == "comment.approve"))
        .scalars()
        .all()
    )
    assert len(entries) == 1


def test_guest_honeypot_and_missing_email_refused(guest_app, thread):
    client = guest_app.test_client()
    from forum.content.antiabuse import started_token

    with guest_app.test_request_context():
        token = started_token()
    bot = client.post(
        "/c/respect/comments",
        data={
            "body": "spam",
            "guest_name": "Bot",
            "guest_email": "b@x.org",
            "started": token,
            "website": "http://spam.example",
        },
    )
    assert bot.status_code == 422
    no_mail = client.post(
        "/c/respect/comments", data={"body": "hi", "guest_name": "Ann", "started": token}
    )
    assert no_mail.status_code == 422
    assert _all_comments() == []


def test_a_guest_who_sends_too_fast_reads_why_and_keeps_the_text(app, thread):
    """The fill-time check's reason is on the hidden start field: the form shows it."""
    from forum.content.antiabuse import started_token

    app.config["GUEST_MIN_FILL_SECONDS"] = 60
    with app.test_request_context():
        token = started_token()
    refused = app.test_client().post(
        "/c/respect/comments",
        data={
            "body": "My first thought on respect",
            "guest_name": "Ann",
            "guest_email": "ann@example.org",
            "started": token,
        },
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "That was quick! Please take a moment and send again." in page
    assert "My first thought on respect" in page and 'value="Ann"' in page
    assert _all_comments() == []


def test_reject_counts_against_trust_and_is_audited_once(app, thread, make_user, make_comment):
    author = make_user("ren")
    moderator = make_user("mod", roles=("member", "moderator"))
    comment = make_comment(thread, author=author, status="pending")
    assert services.reject_comment(comment, moderator, "off-topic") is True
    assert services.reject_comment(comment, moderator, "off-topic") is False
    db.session.commit()
    assert author.rejected_comment_count == 1
    assert (
        db.session.execute(select(AuditEntry).where(AuditEntry.action == "comment.reject"))
        .scalars()
        .all()
    )


def test_reply_shows_link_and_quote(client, thread, make_user, make_comment, login_as):
    member = make_user("mia", trusted_override=True)
    original = make_comment(thread, body="Listening comes first in every meeting.")
    login_as(client, member)
    client.post("/c/respect/comments", data={"body": "Agreed!", "reply_to": str(original.id)})
    page = client.get("/c/respect").data.decode()
    assert f"/comments/{original.id}" in page and "<q>Listening comes first" in page
    bad = client.post("/c/respect/comments", data={"body": "x", "reply_to": "999999"})
    assert bad.status_code == 422


def test_locked_thread_and_suspended_user_refused(client, thread, make_user, login_as):
    suspended = make_user(
        "sus", suspended_until=utcnow() + timedelta(days=1), trusted_override=True
    )
    login_as(client, suspended)
    assert client.post("/c/respect/comments", data={"body": "hello"}).status_code == 403
    thread.locked = True
    db.session.commit()
    member = make_user("mia", trusted_override=True)
    login_as(client, member)
    assert client.post("/c/respect/comments", data={"body": "hello"}).status_code == 403
    assert _all_comments() == []


def test_edit_within_window_then_refused(client, thread, make_user, make_comment, login_as):
    member = make_user("mia", trusted_override=True)
    comment = make_comment(thread, author=member, body="Frist")
    login_as(client, member)
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "First"}).status_code == 302
    db.session.refresh(comment)
    assert comment.body_source == "First" and comment.edited_at is not None
    comment.created_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "Later"}).status_code == 403
    db.session.refresh(comment)
    assert comment.body_source == "First"
    other = make_user("other")
    login_as(client, other)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403


def test_soft_delete_by_author(client, thread, make_user, make_comment, login_as):
    member = make_user("mia")
    comment = make_comment(thread, author=member, body="Regrettable")
    stranger = make_user("stranger")
    login_as(client, stranger)
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403
    login_as(client, member)
    assert client.post(f"/comments/{comment.id}/delete", data={"confirm": "y"}).status_code == 302
    assert "Regrettable" not in client.get("/c/respect").data.decode()
    (row,) = _all_comments()
    assert row.deleted_at is not None  # kept, only marked


def test_pagination_twenty_per_page_and_jump_to_latest(client, thread, make_comment):
    for i in range(45):
        make_comment(thread, body=f"comment number {i:02d}")
    first = client.get("/c/respect").data.decode()
    assert (
        "comment number 00" in first
        and "comment number 19" in first
        and "comment number 20" not in first
    )
    assert "Jump to latest" in first and "page=3" in first
    last = client.get("/c/respect?page=3").data.decode()
    assert "comment number 44" in last and 'id="latest"' in last
    assert client.get("/c/respect?page=4").status_code == 404


def test_permalink_redirects_to_its_page(client, thread, make_comment):
    comments = [make_comment(thread, body=f"n{i}") for i in range(25)]
    response = client.get(f"/comments/{comments[22].id}")
    assert response.status_code == 302
    assert (
        "page=2" in response.headers["Location"]
        and f"#comment-{comments[22].id}" in response.headers["Location"]
    )
    hidden = make_comment(thread, status="pending")
    assert client.get(f"/comments/{hidden.id}").status_code == 404
