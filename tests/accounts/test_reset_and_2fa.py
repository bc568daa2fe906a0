"""Password reset via the outbox (single use, expiring) and TOTP two-factor authentication."""

import re
import time

import pyotp
from sqlalchemy import select

from forum.accounts import reset
from forum.extensions import db
from forum.notifications.models import OutboxMail

PASSWORD = "a sturdy pass phrase"


def reset_link(email):
    mail = db.session.execute(select(OutboxMail).where(OutboxMail.to == email)).scalars().one()
    return re.search(r"http://[^/]+(/account/reset/\S+)", mail.body).group(1)


def test_reset_is_single_use(client, make_user):
    make_user("bob", password=PASSWORD)
    response = client.post("/account/reset", data={"email": "bob@example.org"})
    assert response.status_code == 302
    link = reset_link("bob@example.org")
    assert client.get(link).status_code == 200
    response = client.post(
        link, data={"password": "brand new phrase", "confirm": "brand new phrase"}
    )
    assert response.status_code == 302
    assert (
        client.post("/login", data={"username": "bob", "password": "brand new phrase"}).status_code
        == 302
    )
    assert client.get(link).status_code == 404  # used: the session token rotated


def test_reset_for_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(
        "/account/reset", data={"email": "nobody@example.org"}, follow_redirects=True
    )
    assert b"If that address has an account" in response.data
    assert db.session.execute(select(OutboxMail)).first() is None


def test_expired_or_forged_token_refused(app, client, make_user, monkeypatch):
    user = make_user("bob", password=PASSWORD)
    token = reset.make_token(user)
    monkeypatch.setattr(reset, "MAX_AGE", -1)
    assert client.get(f"/account/reset/{token}").status_code == 404
    assert client.get("/account/reset/forged.token.value").status_code == 404


def test_totp_login_flow(client, make_user, login_as):
    user = make_user("bob", password=PASSWORD)
    login_as(client, user)
    page = client.get("/account/2fa").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    assert client.post("/account/2fa", data={"code": "000000"}).status_code == 422
    turned_on = client.post("/account/2fa", data={"code": pyotp.TOTP(secret).now()})
    assert turned_on.status_code == 200 and "recovery codes" in turned_on.get_data(as_text=True)
    client.post("/logout")
    response = client.post("/login", data={"username": "bob", "password": PASSWORD})
    assert "/login/2fa" in response.headers["Location"]
    assert b"Log out" not in client.get("/").data  # not logged in before the code
    assert client.post("/login/2fa", data={"code": "123456"}).status_code == 422
    next_code = pyotp.TOTP(secret).at(time.time() + 30)  # the set-up code cannot be used again
    assert client.post("/login/2fa", data={"code": next_code}).status_code == 302
    assert b"Log out" in client.get("/").data


def test_staff_must_enrol(app, make_user, login_as):
    app.config["FORUM_REQUIRE_2FA"] = True
    moderator = make_user("mod", roles=("member", "moderator"))
    member = make_user("mem")
    client = app.test_client()
    login_as(client, moderator)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/2fa")
    other = app.test_client()
    login_as(other, member)
    assert other.get("/").status_code == 200


def test_suspended_member_cannot_write_anywhere(client, make_user, login_as, make_comment):
    from datetime import timedelta

    from forum.db import utcnow

    user = make_user("sus", suspended_until=utcnow() + timedelta(days=2), suspension_reason="spam")
    comment = make_comment(author=user, body="mine")
    login_as(client, user)
    response = client.post("/account/profile", data={"display_name": "New name", "bio": ""})
    assert response.status_code == 403 and b"suspended until" in response.data
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403
    db.session.expire_all()
    assert user.display_name == "" and comment.deleted_at is None
    assert client.get("/").status_code == 200  # reading still works
