"""The comment controls say what they do: Edit shows its window and goes when it closes, Delete
asks first, Flag returns to the thread and is never offered on one's own comment, and a
suspended member reads why on the comment form before typing."""

import re
from datetime import timedelta

from sqlalchemy import select

from forum.audit.models import AuditEntry
from forum.db import utcnow
from forum.discussion.models import Comment
from forum.extensions import db
from forum.moderation.models import Flag
from forum.visibility import SYSTEM, as_actor


def footer_of(page: str, comment_id: int) -> str:
    article = page.split(f'id="comment-{comment_id}"', 1)[1].split("</article>", 1)[0]
    return article.split('class="comment-footer', 1)[1]


def deleted_at(comment_id):
    db.session.expire_all()
    with as_actor(SYSTEM):
        return db.session.execute(
            select(Comment.deleted_at).where(Comment.id == comment_id)
        ).scalar_one()


def test_edit_shows_its_window_and_disappears_when_it_closes(
    app, client, login_as, make_characteristic, make_comment, make_user
):
    app.config["COMMENT_EDIT_WINDOW_MINUTES"] = 30
    thread = make_characteristic(slug="respect")
    ann = make_user("ann")
    fresh = make_comment(thread, author=ann, body="Just written")
    old = make_comment(
        thread, author=ann, body="Long ago", created_at=utcnow() - timedelta(hours=2)
    )
    login_as(client, ann)
    page = client.get("/c/respect").get_data(as_text=True)
    assert "you can edit for 30 more minutes" in footer_of(page, fresh.id)
    assert f"/comments/{fresh.id}/edit" in footer_of(page, fresh.id)
    assert "/edit" not in footer_of(page, old.id) and "you can edit" not in footer_of(page, old.id)
    assert "You can edit your comment for 30 minutes after posting." in page


def test_delete_asks_first_and_a_bare_post_deletes_nothing(
    client, login_as, make_characteristic, make_comment, make_user
):
    thread = make_characteristic(slug="respect")
    ann = make_user("ann")
    comment = make_comment(thread, author=ann, body="Maybe regrettable")
    login_as(client, ann)
    page = client.get("/c/respect").get_data(as_text=True)
    assert f'<a href="/comments/{comment.id}/delete">Delete</a>' in footer_of(page, comment.id)
    confirm = client.get(f"/comments/{comment.id}/delete").get_data(as_text=True)
    assert "Delete this comment?" in confirm and "Maybe regrettable" in confirm
    assert 'name="confirm"' in confirm and "<script" not in confirm.split("<main", 1)[1]
    refused = client.post(f"/comments/{comment.id}/delete")
    assert refused.status_code == 422 and "Tick the box to confirm" in refused.get_data(
        as_text=True
    )
    assert deleted_at(comment.id) is None
    done = client.post(f"/comments/{comment.id}/delete", data={"confirm": "y"})
    assert done.status_code == 302 and deleted_at(comment.id) is not None


def test_a_moderator_deletes_with_a_reason_after_confirming(
    client, login_as, make_characteristic, make_comment, make_user
):
    comment = make_comment(make_characteristic(), author=make_user("ann"))
    login_as(client, make_user("mod", roles=("member", "moderator")))
    response = client.post(f"/comments/{comment.id}/delete", data={"reason": "Spam link"})
    assert response.status_code == 422 and "Spam link</textarea>" in response.get_data(as_text=True)
    client.post(f"/comments/{comment.id}/delete", data={"reason": "Spam link", "confirm": "y"})
    entry = db.session.execute(select(AuditEntry)).scalar_one()
    assert (entry.action, entry.reason) == ("comment.delete", "Spam link")


def test_others_cannot_open_the_delete_page(
    client, login_as, make_characteristic, make_comment, make_user
):
    comment = make_comment(make_characteristic(), author=make_user("ann"))
    login_as(client, make_user("bob"))
    assert client.get(f"/comments/{comment.id}/delete").status_code == 403


def test_flagging_returns_to_the_comment_in_its_thread(
    client, login_as, make_characteristic, make_comment, make_user
):
    comment = make_comment(make_characteristic(slug="trust"), author=make_user("ann"))
    login_as(client, make_user("bob"))
    response = client.post(f"/flag/comment/{comment.id}", data={"reason": "spam"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/comments/{comment.id}")
    landing = client.get(response.headers["Location"])
    assert re.search(rf"/c/trust#comment-{comment.id}$", landing.headers["Location"])


def test_nobody_flags_their_own_comment(
    client, login_as, make_characteristic, make_comment, make_user
):
    ann, bob = make_user("ann"), make_user("bob")
    mine = make_comment(make_characteristic(slug="respect"), author=ann)
    login_as(client, ann)
    own_page = client.get("/c/respect").get_data(as_text=True)
    assert f"/flag/comment/{mine.id}" not in own_page
    assert client.get(f"/flag/comment/{mine.id}").status_code == 403
    assert client.post(f"/flag/comment/{mine.id}", data={"reason": "spam"}).status_code == 403
    login_as(client, bob)
    assert f"/flag/comment/{mine.id}" in client.get("/c/respect").get_data(as_text=True)
    assert db.session.execute(select(Flag)).first() is None


def test_a_suspended_member_reads_why_on_the_comment_form(
    client, login_as, make_characteristic, make_user
):
    make_characteristic(slug="respect")
    bob = make_user(
        "bob", suspension_reason="Repeated insults", suspended_until=utcnow() + timedelta(days=3)
    )
    login_as(client, bob)
    page = client.get("/c/respect").get_data(as_text=True)
    form_area = page.split('id="comment-form"', 1)[1].split("</form>", 1)[0]
    assert "You cannot comment while your account is suspended" in form_area
    assert "Repeated insults" in form_area
    until = bob.suspended_until
    assert f"{until:%B} {until.day}, {until.year}" in form_area  # (Babel, the reader's locale)
    assert "<textarea" not in form_area
