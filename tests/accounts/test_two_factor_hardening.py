"""Two-factor like every major site: a QR code of the set-up link, single-use recovery codes,
no replayed TOTP codes, secrets sealed at rest, and an audited reset by an admin."""

import html
import re
import time

import pyotp
import segno
from sqlalchemy import select, text

from forum.accounts import qr, recovery
from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.notifications.models import OutboxMail

PASSWORD = "a sturdy pass phrase"


def set_up(client, username="bob", at=None):
    """Turn 2FA on through the pages with the code of time ``at`` (default: now); returns
    (secret, recovery codes, set-up page, codes page)."""
    page = client.get("/account/2fa").get_data(as_text=True)
    uri = html.unescape(re.search(r'<code class="otpauth-uri">([^<]+)</code>', page).group(1))
    secret = pyotp.parse_uri(uri).secret
    done = client.post("/account/2fa", data={"code": pyotp.TOTP(secret).at(at or time.time())})
    assert done.status_code == 200
    codes = re.findall(
        r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.get_data(as_text=True)
    )
    return secret, codes, page, done.get_data(as_text=True)


def log_in_to_code_step(client, username="bob"):
    client.post("/logout")
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert "/login/2fa" in response.headers["Location"]


def test_setup_page_shows_a_qr_code_made_from_the_uri_it_prints(client, make_user, login_as):
    login_as(client, make_user("bob", password=PASSWORD))
    page = client.get("/account/2fa").get_data(as_text=True)
    uri = html.unescape(re.search(r'<code class="otpauth-uri">([^<]+)</code>', page).group(1))
    assert uri.startswith("otpauth://totp/") and "issuer=" in uri and "bob" in uri
    svg = re.search(r'<svg [^>]*class="qr-code".*?</svg>', page, re.S).group(0)
    expected_path = re.search(r' d="([^"]+)"', segno.make(uri, error="m").svg_inline()).group(1)
    assert f' d="{expected_path}"' in svg  # the modules drawn are those of this very URI
    assert "<script" not in svg and svg == str(qr.svg(uri))


def test_ten_recovery_codes_are_shown_once_and_stored_hashed(client, make_user, login_as):
    user = make_user("bob", password=PASSWORD)
    login_as(client, user)
    _secret, codes, _page, _done = set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.execute(text("SELECT code_hash FROM recovery_codes")).scalars().all()
    assert len(stored) == 10 and all(h.startswith("scrypt$") for h in stored)
    assert not any(c.replace("-", "") in h or c in h for c in codes for h in stored)
    again = client.get("/account/2fa").get_data(as_text=True)
    assert not any(code in again for code in codes) and "10 unused recovery codes" in again


def test_a_recovery_code_logs_in_once(client, make_user, login_as):
    login_as(client, make_user("bob", password=PASSWORD))
    _secret, codes, _page, _done = set_up(client)
    log_in_to_code_step(client)
    assert client.post("/login/2fa", data={"code": codes[3].upper()}).status_code == 302
    assert b"Log out" in client.get("/").data
    log_in_to_code_step(client)
    reused = client.post("/login/2fa", data={"code": codes[3]})
    assert reused.status_code == 422 and "used already" in reused.get_data(as_text=True)
    assert client.post("/login/2fa", data={"code": codes[4]}).status_code == 302


def test_a_totp_code_cannot_be_used_twice(client, make_user, login_as):
    login_as(client, make_user("bob", password=PASSWORD))
    secret, _codes, _page, _done = set_up(client)
    code = pyotp.TOTP(secret).at(time.time() + 30)
    log_in_to_code_step(client)
    assert client.post("/login/2fa", data={"code": code}).status_code == 302
    log_in_to_code_step(client)
    assert client.post("/login/2fa", data={"code": code}).status_code == 422
    older = pyotp.TOTP(secret).now()  # an earlier step than the one used: refused as well
    assert client.post("/login/2fa", data={"code": older}).status_code == 422


def test_the_setup_code_itself_cannot_log_in(client, make_user, login_as):
    login_as(client, make_user("bob", password=PASSWORD))
    moment = time.time()  # the set-up code, even when the clock has moved to the next step
    secret, _codes, _page, _done = set_up(client, at=moment)
    log_in_to_code_step(client)
    assert (
        client.post("/login/2fa", data={"code": pyotp.TOTP(secret).at(moment)}).status_code == 422
    )


def test_the_secret_is_not_stored_in_plain_text(client, make_user, login_as):
    user = make_user("bob", password=PASSWORD)
    login_as(client, user)
    secret, _codes, _page, _done = set_up(client)
    raw = db.session.execute(
        text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id}
    ).scalar_one()
    assert secret not in raw and raw.startswith("v1:")
    db.session.expire_all()
    assert db.session.get(type(user), user.id).totp_secret == secret


def test_admin_resets_a_second_factor_audited_and_mailed(app, client, make_user, login_as):
    member = make_user("bob", password=PASSWORD, totp_secret=pyotp.random_base32())
    recovery.issue(member)
    db.session.commit()
    admin = make_user("root", roles=("member", "admin"), totp_secret=pyotp.random_base32())
    login_as(client, admin)
    url = "/moderation/users/bob/two-factor-reset"
    page = client.get("/moderation/users/bob").get_data(as_text=True)
    assert f'action="{url}"' in page
    unconfirmed = client.post(url, data={"reason": "Lost phone, asked by mail"})
    body = unconfirmed.get_data(as_text=True)
    assert unconfirmed.status_code == 422 and "Tick the box to confirm the reset." in body
    assert "Lost phone, asked by mail</textarea>" in body  # the reason typed is kept
    assert client.post(url, data={"confirm": "y", "reason": ""}).status_code == 422
    done = client.post(url, data={"confirm": "y", "reason": "Lost phone, asked by mail"})
    assert done.status_code == 303
    db.session.expire_all()
    member = db.session.get(type(member), member.id)
    assert member.totp_secret is None and recovery.remaining(member) == 0
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "user.two_factor_reset")
    ).scalar_one()
    assert (entry.actor_id, entry.target_id, entry.reason) == (
        admin.id,
        member.id,
        "Lost phone, asked by mail",
    )
    mail = db.session.execute(select(OutboxMail).where(OutboxMail.to == member.email)).scalar_one()
    assert "two-factor" in mail.subject and "Lost phone, asked by mail" in mail.body
    assert "/account/2fa" in mail.body


def test_only_admins_may_reset_a_second_factor(client, make_user, login_as):
    make_user("bob", totp_secret=pyotp.random_base32())
    moderator = make_user("mod", roles=("member", "moderator"), totp_secret=pyotp.random_base32())
    login_as(client, moderator)
    assert "two-factor-reset" not in client.get("/moderation/users/bob").get_data(as_text=True)
    response = client.post(
        "/moderation/users/bob/two-factor-reset", data={"confirm": "y", "reason": "x"}
    )
    assert response.status_code == 403


def test_a_member_loads_without_opening_the_secret(client, make_user, login_as):
    """The sealed column is deferred: pages that show a member never decrypt it, so even a
    ciphertext this host cannot open (a lost key) breaks only the code check itself."""
    bob = make_user("bob", totp_secret=pyotp.random_base32())
    db.session.execute(
        text("UPDATE users SET totp_secret = 'v1:gone:AAAA' WHERE id = :id"), {"id": bob.id}
    )
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(type(bob), bob.id).has_two_factor
    assert client.get("/u/bob").status_code == 200
    login_as(client, make_user("ann"))
    assert client.get("/u/bob").status_code == 200


def test_new_recovery_codes_need_a_fresh_code_and_retire_the_old_ones(client, make_user, login_as):
    login_as(client, make_user("bob", password=PASSWORD))
    secret, old, _page, _done = set_up(client)
    refused = client.post("/account/2fa/recovery-codes", data={"code": "000000"})
    assert refused.status_code == 422 and "not right" in refused.get_data(as_text=True)
    fresh = client.post(
        "/account/2fa/recovery-codes", data={"code": pyotp.TOTP(secret).at(time.time() + 30)}
    )
    new = re.findall(
        r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", fresh.get_data(as_text=True)
    )
    assert fresh.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    log_in_to_code_step(client)
    assert client.post("/login/2fa", data={"code": old[0]}).status_code == 422
    assert client.post("/login/2fa", data={"code": new[0]}).status_code == 302
