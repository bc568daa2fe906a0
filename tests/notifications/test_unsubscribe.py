"""One-click unsubscribe (List-Unsubscribe-Post) and the member's e-mail setting."""

import pytest
from sqlalchemy import select

from forum.discussion import services as comments
from forum.extensions import db
from forum.notifications.message import unsubscribe_token
from forum.notifications.models import MailOptOut, OutboxMail


@pytest.fixture
def app_config():
    return {"MAIL_URL": "console://", "WTF_CSRF_ENABLED": True}


def _mention(ch, author, name):
    comments.create_comment(ch, author, f"Hello @{name}")
    db.session.commit()
    return db.session.execute(select(OutboxMail.to)).scalars().all()


def test_one_click_post_without_session_or_csrf_unsubscribes(
    client, make_user, make_characteristic
):
    carol = make_user("carol", email="Carol@Example.org")
    alice = make_user("alice", trusted_override=True)
    token = unsubscribe_token(carol.email)
    page = client.get(f"/notifications/unsubscribe/{token}")
    assert (
        page.status_code == 200 and db.session.get(MailOptOut, carol.id) is None
    )  # GET writes nothing
    response = client.post(
        f"/notifications/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert db.session.get(MailOptOut, carol.id) is not None
    assert (
        _mention(make_characteristic(), alice, "carol") == []
    )  # the inbox still gets it, mail does not


def test_a_forged_token_is_404(client, make_user):
    make_user("carol")
    assert client.post("/notifications/unsubscribe/not-a-token").status_code == 404
    assert (
        client.post(
            f"/notifications/unsubscribe/{unsubscribe_token('nobody@example.org')}"
        ).status_code
        == 404
    )


def test_the_setting_page_switches_mail_off_and_on(
    client, login_as, make_user, make_characteristic
):
    carol = make_user("carol")
    login_as(client, carol)
    page = client.get("/notifications/email").get_data(as_text=True)
    assert "Stop notification e-mail" in page
    assert (
        client.post("/notifications/email", data={"email": "off"}).status_code == 400
    )  # no CSRF token
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert (
        client.post("/notifications/email", data={"email": "off", "csrf_token": token}).status_code
        == 302
    )
    assert db.session.get(MailOptOut, carol.id) is not None
    assert (
        client.post("/notifications/email", data={"email": "on", "csrf_token": token}).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(MailOptOut, carol.id) is None
    alice = make_user("alice", trusted_override=True)
    assert _mention(make_characteristic(), alice, "carol") == ["carol@example.org"]
