"""Every notification kind goes by e-mail as its member chose: immediately, in the daily digest
(the ``mail-digest`` job), or not at all; each e-mail unsubscribes its own kind in one click."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.db import utcnow
from forum.discussion import services as comments
from forum.extensions import db
from forum.kernel.state import set_enabled
from forum.notifications.delivery import mailable_kinds, set_mode
from forum.notifications.digest import send_digests
from forum.notifications.message import build_message, unsubscribe_target, unsubscribe_token
from forum.notifications.models import DigestItem, MailPreference, OutboxMail, Watch
from forum.notifications.services import notify
from forum.visibility import as_actor


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "GUEST_MIN_FILL_SECONDS": 0}


@pytest.fixture
def people(make_user, make_characteristic):
    return {
        "ch": make_characteristic(title="Trust", slug="trust"),
        "alice": make_user("alice", trusted_override=True),
        "carol": make_user("carol", email="carol@example.org", trusted_override=True),
        "mod": make_user("mod", roles=("member", "moderator")),
    }


def outbox(kind=None):
    stmt = select(OutboxMail).order_by(OutboxMail.id)
    if kind is not None:
        stmt = stmt.where(OutboxMail.kind == kind)
    return db.session.execute(stmt).scalars().all()


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def _watch_all(user, ch):
    db.session.add(Watch(user_id=user.id, characteristic_id=ch.id, scope="all"))
    db.session.commit()


def test_a_mention_is_mailed_immediately_by_default(people):
    comments.create_comment(people["ch"], people["alice"], "Thanks @carol, SECRET-BODY here.")
    db.session.commit()
    (mail,) = outbox("mention")
    assert mail.to == "carol@example.org"
    assert mail.subject == "[Mentorship Forum] alice mentioned you in a comment on Trust."
    assert "SECRET-BODY" not in mail.body and "/comments/" in mail.body


def test_watched_comments_wait_for_the_digest_job(people):
    carol, ch = people["carol"], people["ch"]
    _watch_all(carol, ch)
    comments.create_comment(ch, people["alice"], "First.")
    comments.create_comment(ch, people["alice"], "Second.")
    db.session.commit()
    assert outbox() == [] and len(db.session.execute(select(DigestItem)).all()) == 2
    assert send_digests() == "0 digests queued"  # a day has not passed yet
    db.session.execute(update(DigestItem).values(created_at=utcnow() - timedelta(hours=25)))
    db.session.commit()
    assert send_digests() == "1 digest queued"
    (mail,) = outbox()
    assert mail.to == "carol@example.org" and mail.kind == "digest"
    assert "Your daily digest: 2 notifications" in mail.subject
    assert mail.body.count("alice commented on Trust.") == 2
    assert db.session.execute(select(DigestItem)).first() is None
    assert send_digests() == "0 digests queued"  # each item goes out once


def test_the_digest_job_runs_from_run_jobs(people, runner):
    carol, ch = people["carol"], people["ch"]
    _watch_all(carol, ch)
    comments.create_comment(ch, people["alice"], "Hello.")
    db.session.commit()  # the notices are written after the commit, by the events
    db.session.execute(update(DigestItem).values(created_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    result = runner.invoke(args=["forum", "run-jobs"])
    assert "mail-digest: ran (1 digest queued)" in result.output, result.output
    assert [m.kind for m in outbox()] == ["digest"]


def test_a_kind_switched_off_sends_nothing_but_keeps_the_notice(people):
    carol = people["carol"]
    set_mode(carol.id, "mention", "off")
    comments.create_comment(people["ch"], people["alice"], "Hi @carol")
    db.session.commit()
    assert outbox() == [] and db.session.execute(select(DigestItem)).first() is None


def test_the_preferences_page_saves_a_mode_per_kind(client, login_as, people):
    carol = people["carol"]
    login_as(client, carol)
    page = client.get("/notifications/email").get_data(as_text=True)
    assert 'name="mode-mention" value="immediate"' in page and "Daily digest" in page
    assert "Confidentiality concerns and disclosure notices" in page  # a plugin's kind too
    token = _csrf(page)
    bad = client.post(
        "/notifications/email",
        data={"csrf_token": token, "mode-reply": "weekly", "mode-mention": "off"},
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="mode-reply-error"' in html
    assert 'name="mode-mention" value="off" id="mode-mention-off" aria-label' in html
    assert re.search(r'id="mode-mention-off"[^>]* checked', html)  # the input is kept
    assert db.session.execute(select(MailPreference)).first() is None  # nothing saved
    saved = client.post(
        "/notifications/email",
        data={"csrf_token": token, "mode-mention": "digest", "mode-reply": "off"},
    )
    assert saved.status_code == 302
    modes = dict(
        db.session.execute(
            select(MailPreference.kind, MailPreference.mode).where(
                MailPreference.user_id == carol.id
            )
        ).all()
    )
    assert modes == {"mention": "digest", "reply": "off"}
    assert "E-mail preferences" in client.get("/notifications").get_data(as_text=True)
    account = client.get("/account/profile").get_data(as_text=True)
    assert 'href="/notifications/email">Notification e-mail preferences' in account


def test_one_click_unsubscribe_stops_only_the_mails_kind(client, people):
    carol = people["carol"]
    comments.create_comment(people["ch"], people["alice"], "Hi @carol")
    db.session.commit()
    header = build_message(outbox("mention")[0])["List-Unsubscribe"]
    link = header.split("<")[1].split(">")[0]
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert header and link.startswith("http")
    landing = client.get("/" + path)
    assert landing.status_code == 200 and "Mentions of your @username" in landing.get_data(
        as_text=True
    )
    assert db.session.get(MailPreference, (carol.id, "mention")) is None  # GET writes nothing
    done = client.post("/" + path, data={"List-Unsubscribe": "One-Click"})  # no session, no CSRF
    assert done.status_code == 200
    db.session.expire_all()
    assert db.session.get(MailPreference, (carol.id, "mention")).mode == "off"
    assert db.session.get(MailPreference, (carol.id, "reply")) is None


def test_a_token_for_an_unknown_kind_is_404(client, people):
    token = unsubscribe_token("carol@example.org", "no.such.kind")
    assert client.post(f"/notifications/unsubscribe/{token}").status_code == 404


def test_a_rejected_guest_gets_the_reason_by_mail(people, client):
    form = client.get("/c/trust/comments/new").get_data(as_text=True)
    started = form.split('name="started" type="hidden" value="')[1].split('"')[0]
    posted = client.post(
        "/c/trust/comments",
        data={
            "csrf_token": _csrf(form),
            "started": started,
            "guest_name": "Sam",
            "guest_email": "sam@example.org",
            "body": "A guest's GUEST-BODY words.",
            "body_format": "markdown",
        },
    )
    assert posted.status_code == 302, posted.get_data(as_text=True)
    with as_actor(people["mod"]):
        comment = db.session.execute(select(comments.Comment)).scalar_one()
    comments.reject_comment(comment, people["mod"], "Please keep to the topic of trust.")
    db.session.commit()
    (mail,) = outbox()
    assert mail.to == "sam@example.org" and mail.kind == ""
    assert mail.subject == "[Mentorship Forum] Your comment on Trust was not published"
    assert "Reason: Please keep to the topic of trust." in mail.body
    assert "GUEST-BODY" not in mail.body


@pytest.mark.parametrize("mode", ["immediate", "digest", "off"])
def test_every_registered_kind_follows_the_members_choice(app, make_user, mode):
    """The mechanism is generic: any kind a plugin registers (role changes, answers, pair-space
    activity...) goes by e-mail as the member chose, through plain ``notify``."""
    kinds = [k.name for k in mailable_kinds()]
    assert {"reply", "mention", "moderation", "new_part", "watched_comment"} <= set(kinds)
    assert {"pair_spaces.activity", "pair_spaces.urgent", "flag_outcome"} <= set(kinds)
    dana = make_user("dana", email="dana@example.org")
    for kind in kinds:
        set_mode(dana.id, kind, mode)
        notify(dana.id, kind, f"Something of kind {kind}.", "/c/x")
    db.session.commit()
    mailed = sorted(m.kind for m in outbox())
    waiting = sorted(db.session.execute(select(DigestItem.kind)).scalars())
    assert mailed == (sorted(kinds) if mode == "immediate" else [])
    assert waiting == (sorted(kinds) if mode == "digest" else [])


def test_reply_and_moderation_decisions_are_mailed_with_the_reason(people, make_user):
    alice, carol, mod, ch = people["alice"], people["carol"], people["mod"], people["ch"]
    first = comments.create_comment(ch, carol, "Trust takes time.")
    db.session.commit()
    comments.create_comment(ch, alice, "It does.", reply_to=first)
    db.session.commit()
    (reply,) = outbox("reply")
    assert reply.to == "carol@example.org" and "alice replied to your comment on Trust." in (
        reply.subject
    )
    bob = make_user("bob", email="bob@example.org")  # untrusted: his comment waits
    waiting = comments.create_comment(ch, bob, "Buy now")
    db.session.commit()
    comments.reject_comment(waiting, mod, "Advertising is not allowed here.")
    db.session.commit()
    (decision,) = outbox("moderation")
    assert decision.to == "bob@example.org"
    assert "Reason: Advertising is not allowed here." in decision.subject + decision.body


def test_a_digest_unsubscribes_from_all_notification_mail(people):
    digest = OutboxMail(to="carol@example.org", subject="d", body="b", kind="digest")
    db.session.add(digest)
    db.session.commit()
    link = build_message(digest)["List-Unsubscribe"].split("<")[1].split(">")[0]
    assert unsubscribe_target(link.rsplit("/", 1)[1]) == ("carol@example.org", "")


def test_a_disabled_plugins_kinds_leave_the_preferences_page(client, login_as, people):
    set_enabled("pair_spaces", False)
    db.session.commit()
    login_as(client, people["carol"])
    page = client.get("/notifications/email").get_data(as_text=True)
    assert "Confidentiality concerns" not in page and "Replies to your comments" in page
