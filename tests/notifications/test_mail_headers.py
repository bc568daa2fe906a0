"""Mail goes through a real SMTP conversation with headers no content can break (issue 23)."""

import pytest
from sqlalchemy import select

from forum.discussion import services as comments
from forum.extensions import db
from forum.mail.outbox import queue_mail
from forum.notifications.models import OutboxMail

SITE = {
    "SERVER_NAME": "forum.example",  # what FORUM_SERVER_NAME sets
    # a second host the site answers: its requests must still link to SERVER_NAME
    "TRUSTED_HOSTS": ["forum.example", "attacker.example"],
    "PREFERRED_URL_SCHEME": "https",
    "MAIL_FROM": "Forum Team <team@forum.example>",
}


@pytest.fixture
def app_config(smtp_server):
    """The ``app`` of this module sends through the test's SMTP server, for forum.example."""
    return {"MAIL_URL": smtp_server.url, **SITE}


def _send(app):
    result = app.test_cli_runner().invoke(args=["forum", "send-mail"])
    db.session.expire_all()
    return result


def test_notification_mail_has_every_header_and_absolute_links(
    app, smtp_server, make_user, make_characteristic
):
    alice = make_user("alice", trusted_override=True)
    make_user("carol", email="carol@example.org")
    comments.create_comment(make_characteristic(title="Respect"), alice, "Hi @carol, read this.")
    db.session.commit()
    result = _send(app)
    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output, result.output
    [msg] = smtp_server.received.messages
    assert smtp_server.received.recipients == [["carol@example.org"]]
    assert msg["From"] == "Forum Team <team@forum.example>" and msg["To"] == "carol@example.org"
    assert msg["Subject"] == "[Mentorship Forum] alice mentioned you in a comment on Respect."
    assert msg["Date"] and msg["Message-ID"].endswith("@forum.example>")
    unsubscribe = msg["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://forum.example/notifications/unsubscribe/")
    assert "<https://forum.example/notifications/email>" in unsubscribe
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = msg.get_content()
    assert "https://forum.example/comments/" in body and "read this" not in body


def test_account_mail_has_no_unsubscribe_and_links_to_the_configured_site(
    app, smtp_server, client, make_user
):
    make_user("dora", email="dora@example.org")
    client.post(
        "/account/reset", data={"email": "dora@example.org"}, headers={"Host": "attacker.example"}
    )
    assert _send(app).exit_code == 0
    [msg] = smtp_server.received.messages
    assert msg["List-Unsubscribe"] is None and msg["Message-ID"]
    assert "https://forum.example/account/reset/" in msg.get_content()
    assert "attacker.example" not in msg.get_content()


def test_links_fall_back_to_the_development_server_from_the_cli(
    make_app, smtp_server, make_user, make_characteristic
):
    app = make_app(MAIL_URL=smtp_server.url)
    with app.app_context():
        alice = make_user("al", trusted_override=True)
        make_user("cy", email="cy@example.org")
        comments.create_comment(make_characteristic(), alice, "@cy hello")  # no request here
        db.session.commit()
        assert _send(app).exit_code == 0
    [msg] = smtp_server.received.messages
    assert "http://127.0.0.1:5000/comments/" in msg.get_content()
    assert "<http://127.0.0.1:5000/notifications/unsubscribe/" in msg["List-Unsubscribe"]


def test_raw_header_injection_in_an_old_row_is_neutralised(app, smtp_server):
    db.session.add(
        OutboxMail(
            to="x@example.org", subject="Hi\r\nBcc: victim@example.org\r\n\r\nbody", body="text"
        )
    )
    db.session.add(OutboxMail(to="y@example.org", subject="x" * 300, body="long"))
    db.session.commit()
    assert _send(app).exit_code == 0
    first, second = smtp_server.received.messages
    assert smtp_server.received.recipients == [["x@example.org"], ["y@example.org"]]
    assert first["Bcc"] is None and first["Subject"] == "Hi Bcc: victim@example.org body"
    assert len(second["Subject"]) == 200 and second["Subject"].endswith("…")


def test_two_line_rejection_reason_is_sent_and_so_is_every_later_message(
    app, smtp_server, client, login_as, make_user, make_comment, make_characteristic
):
    """Issue 23: the reason went raw into the Subject and send-mail crashed on it, every run."""
    ch = make_characteristic(title="Honesty")
    author = make_user("ann", email="ann@example.org")
    later = make_user("ben", email="ben@example.org")
    mod = make_user("mod", roles=("member", "moderator"))
    comment = make_comment(characteristic=ch, author=author, status="pending")
    login_as(client, mod)
    response = client.post(
        "/moderation/queue",
        data={
            "decide": f"reject:comment:{comment.id}",
            f"reason-comment:{comment.id}": "Off topic here.\r\nPlease ask in the Q&A instead.",
        },
    )
    assert response.status_code == 303
    queue_mail(later.email, "A later message", "Nothing special.")
    db.session.commit()
    assert [
        m.to for m in db.session.execute(select(OutboxMail).order_by(OutboxMail.id)).scalars()
    ] == ["ann@example.org", "ben@example.org"]
    result = _send(app)
    assert result.exit_code == 0 and "2 sent, 0 failed" in result.output, result.output
    rejection, after = smtp_server.received.messages
    assert rejection["Subject"] == (
        "[Mentorship Forum] A moderator did not approve your comment on "
        "Honesty. Reason: Off topic here. Please ask in the Q&A instead."
    )
    assert "Please ask in the Q&A instead." in rejection.get_content()
    assert after["Subject"] == "A later message"
    assert _send(app).exit_code == 0 and len(smtp_server.received.messages) == 2  # nothing twice
