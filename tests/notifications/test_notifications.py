"""Each notification kind fires once, through the real services; e-mail goes to the outbox."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.db import utcnow
from forum.discussion import services as comments
from forum.extensions import db
from forum.moderation import services as moderation
from forum.notifications.models import Notification, OutboxMail, Watch
from forum.series import services as parts


def notes(user, kind=None):
    stmt = select(Notification).where(Notification.user_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return db.session.execute(stmt).scalars().all()


@pytest.fixture
def people(make_user, make_characteristic):
    ch = make_characteristic(title="Trust", slug="trust")
    return {
        "ch": ch,
        "alice": make_user("alice", trusted_override=True),
        "bob": make_user("bob"),  # untrusted: his comments wait
        "carol": make_user("carol", trusted_override=True),
        "mod": make_user("mod", roles=("member", "moderator")),
        "expert": make_user("expert", roles=("member", "expert")),
    }


def test_reply_fires_once_when_the_reply_is_approved(people):
    alice, bob, mod, ch = people["alice"], people["bob"], people["mod"], people["ch"]
    first = comments.create_comment(ch, alice, "Trust takes time.")
    db.session.commit()
    reply = comments.create_comment(ch, bob, "I agree with you.", reply_to=first)
    db.session.commit()
    assert notes(alice, "reply") == []  # pending: nothing public yet
    comments.approve_comment(reply, mod)  # emits content_approved and content_published
    db.session.commit()
    got = notes(alice, "reply")
    assert len(got) == 1
    assert got[0].text == "bob replied to your comment on Trust."
    assert got[0].url.endswith(f"/comments/{reply.id}") or got[0].url.endswith(
        f"#comment-{reply.id}"
    )
    moderation_notes = notes(bob, "moderation")
    assert [n.text for n in moderation_notes] == ["A moderator approved your comment on Trust."]
    comments.approve_comment(reply, mod)  # idempotent: no second notice
    db.session.commit()
    assert len(notes(alice, "reply")) == 1 and len(notes(bob, "moderation")) == 1


def test_reply_to_self_and_guest_parent_do_not_notify(people):
    alice, ch = people["alice"], people["ch"]
    first = comments.create_comment(ch, alice, "One.")
    db.session.commit()
    comments.create_comment(ch, alice, "Two.", reply_to=first)
    db.session.commit()
    assert notes(alice) == []


def test_mention_fires_once_per_person(people):
    alice, ch = people["alice"], people["ch"]
    comments.create_comment(ch, alice, "Thanks @carol and @Carol, also @nobody and mail@carol.org")
    db.session.commit()
    got = notes(people["carol"], "mention")
    assert [n.text for n in got] == ["alice mentioned you in a comment on Trust."]
    assert notes(alice) == []


def test_mention_in_pending_comment_waits_for_approval(people):
    bob, ch, mod = people["bob"], people["ch"], people["mod"]
    comment = comments.create_comment(ch, bob, "Hello @carol")
    db.session.commit()
    assert notes(people["carol"]) == []
    comments.reject_comment(comment, mod, "off topic")
    db.session.commit()
    assert notes(people["carol"]) == []
    assert [n.text for n in notes(bob, "moderation")] == [
        "A moderator did not approve your comment on Trust. Reason: off topic"
    ]


def test_new_part_for_watchers_once(people, make_part):
    ch, carol, expert, mod = people["ch"], people["carol"], people["expert"], people["mod"]
    db.session.add(
        Watch(user_id=carol.id, characteristic_id=ch.id, created_at=utcnow() - timedelta(days=1))
    )
    db.session.add(
        Watch(user_id=expert.id, characteristic_id=ch.id, created_at=utcnow() - timedelta(days=1))
    )
    db.session.commit()
    part = make_part(
        characteristic=ch, author=expert, status="submitted", publish_at=None, title="On trust"
    )
    parts.approve_part(part, mod, None)  # approved and published at once
    db.session.commit()
    got = notes(carol, "new_part")
    assert [n.text for n in got] == ["New part in Trust: On trust"]
    assert notes(expert, "new_part") == []  # the author is not told of their own part
    assert [n.text for n in notes(expert, "moderation")] == [
        "A moderator approved your part “On trust”."
    ]


def test_scheduled_part_notifies_watchers_when_due(people, make_part, runner):
    ch, carol, mod = people["ch"], people["carol"], people["mod"]
    db.session.add(
        Watch(user_id=carol.id, characteristic_id=ch.id, created_at=utcnow() - timedelta(days=2))
    )
    db.session.commit()
    part = make_part(characteristic=ch, status="submitted", publish_at=None, title="Later")
    parts.approve_part(part, mod, utcnow() + timedelta(days=3))
    db.session.commit()
    assert notes(carol, "new_part") == []
    part.publish_at = utcnow() - timedelta(minutes=5)  # its time has come; no event fires
    db.session.commit()
    for _ in range(2):
        result = runner.invoke(args=["forum", "send-mail"])
        assert result.exit_code == 0, result.output
    assert len(notes(carol, "new_part")) == 1


def test_hidden_and_removed_tell_the_author(people, make_comment):
    alice, mod = people["alice"], people["mod"]
    comment = make_comment(characteristic=people["ch"], author=alice, body="words")
    moderation.hide(comment, mod, "needs a look")
    db.session.commit()
    moderation.delete(comment, mod, "spam")
    db.session.commit()
    assert [n.text for n in notes(alice, "moderation")] == [
        "A moderator hid your comment on Trust. Reason: needs a look",
        "A moderator removed your comment on Trust.",
    ]


def test_email_goes_to_outbox_and_is_sent(make_app, make_user, make_characteristic, runner):
    app = make_app(MAIL_URL="console://")
    with app.app_context():
        alice = make_user("alice2", trusted_override=True)
        carol = make_user("carol2", email="carol2@example.org")
        ch = make_characteristic(title="Respect")
        comments.create_comment(ch, alice, "Hi @carol2, see this.")
        db.session.commit()
        mails = db.session.execute(select(OutboxMail)).scalars().all()
        assert [m.to for m in mails] == ["carol2@example.org"]
        assert "alice2 mentioned you in a comment on Respect." in mails[0].subject
        assert "see this" not in mails[0].body  # texts carry no comment bodies
        result = app.test_cli_runner().invoke(args=["forum", "send-mail"])
        assert result.exit_code == 0, result.output
        assert "To: carol2@example.org" in result.output and "1 sent, 0 failed" in result.output
        db.session.expire_all()
        assert db.session.execute(select(OutboxMail)).scalar_one().sent_at is not None
        assert carol.id


def test_mail_is_queued_without_mail_url_too(people):
    """Without a mail server the sender prints the outbox: nothing owed is dropped on the way."""
    comments.create_comment(people["ch"], people["alice"], "Hi @carol")
    db.session.commit()
    assert [m.kind for m in db.session.execute(select(OutboxMail)).scalars()] == ["mention"]
    assert len(notes(people["carol"])) == 1


def test_unreachable_smtp_keeps_mail_queued(make_app):
    app = make_app(MAIL_URL="smtp://127.0.0.1:1")
    with app.app_context():
        db.session.add(OutboxMail(to="x@example.org", subject="s", body="b"))
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["forum", "send-mail"])
        assert result.exit_code == 1
        db.session.expire_all()
        assert db.session.execute(select(OutboxMail)).scalar_one().sent_at is None
