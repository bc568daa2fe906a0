"""Pair-space e-mail: "new activity" and nothing more; a concern or a disclosure notice is urgent."""

import re

from pair_kit import raise_concern
from sqlalchemy import select

from forum.sdk import db, utcnow
from forum.testing import OutboxMail

MARKER = "PLANTED-PAIR-MARKER"


def _mails(user):
    db.session.expire_all()
    return (
        db.session.execute(
            select(OutboxMail).where(OutboxMail.to == user.email).order_by(OutboxMail.id)
        )
        .scalars()
        .all()
    )


def test_a_message_mails_new_activity_without_content(kit):
    pair, mentor, mentee = kit.pair()
    before = len(_mails(mentee))
    kit.post(mentor, f"/p/pair_spaces/{pair.id}/messages", {"body": f"hello {MARKER}"}, status=303)
    mail = _mails(mentee)[before:][-1]
    assert mail.subject == "[Mentorship Forum] New activity in your pair space"
    assert mail.kind == "pair_spaces.activity"
    assert MARKER not in mail.subject + mail.body
    assert mentor.name not in mail.body and mentor.username not in mail.body


def test_a_concern_and_a_notice_are_urgent_in_the_subject(kit):
    pair, mentor, mentee = kit.pair()
    _, url = raise_concern(kit, pair, mentee, immediate_danger="y", issue=f"issue {MARKER}")
    concern_mail = _mails(mentor)[-1]
    assert concern_mail.subject.startswith("[Mentorship Forum] [Urgent] ")
    assert "concern" in concern_mail.subject and concern_mail.kind == "pair_spaces.urgent"
    kit.post(
        mentee,
        f"{url}/notice",
        {"what": f"w {MARKER}", "to_whom": "t", "disclose_on": utcnow().date().isoformat()},
        status=303,
    )
    notice_mail = _mails(mentor)[-1]
    assert notice_mail.subject == (
        "[Mentorship Forum] [Urgent] A disclosure notice was recorded in your pair space"
    )
    for mail in (concern_mail, notice_mail):
        assert MARKER not in mail.subject + mail.body
    inbox = kit.get(mentor, "/notifications").get_data(as_text=True)
    urgent = re.search(
        r'<li class="notification unread urgent">\s*<p><span class="urgent-tag">'
        r"Urgent</span> <strong>.*?</span>A disclosure notice was recorded",
        inbox,
    )
    assert urgent is not None
    chat = _mails(mentor)
    assert not any("[Urgent]" in m.subject for m in chat if m.kind == "pair_spaces.activity")
