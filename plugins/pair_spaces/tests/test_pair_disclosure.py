"""Disclosure without surprise: the other party is told at once and sees a notice first."""

from datetime import timedelta

from forum_pair_spaces.models import Concern, DisclosureNotice
from pair_kit import fresh, raise_concern, rows, text_of
from sqlalchemy import select

from forum.sdk import db, utcnow
from forum.testing import Notification


def test_concern_notifies_the_other_party_without_content(kit):
    pair, mentor, mentee = kit.pair()
    concern, url = raise_concern(kit, pair, mentor)
    notes = (
        db.session.execute(select(Notification).where(Notification.user_id == mentee.id))
        .scalars()
        .all()
    )
    assert notes[-1].text == "A confidentiality concern was raised in your pair space"
    assert notes[-1].kind == "pair_spaces.urgent" and notes[-1].url == url
    assert concern.seen_by_other_at is None
    kit.post(mentee, f"{url}/seen", status=303)
    assert fresh(Concern)[0].seen_by_other_at is not None


def test_refusal_then_notice_with_the_date_rule(kit):
    pair, mentor, mentee = kit.pair()
    _, url = raise_concern(kit, pair, mentor)
    today = utcnow().date()
    notice = {"what": "What I will say", "to_whom": "HR"}
    # no notice before the other party has answered (unless immediate danger)
    kit.post(
        mentor,
        f"{url}/notice",
        {**notice, "disclose_on": (today + timedelta(days=3)).isoformat()},
        status=422,
    )
    kit.post(
        mentor, f"{url}/respond", {"kind": "refuse", "body": "x"}, status=422
    )  # raiser can't refuse
    kit.post(mentee, f"{url}/respond", {"kind": "refuse", "body": "Please don't"}, status=303)
    assert rows(Concern)[0].status == "refused"
    for day in (today - timedelta(days=1), today):
        kit.post(mentor, f"{url}/notice", {**notice, "disclose_on": day.isoformat()}, status=422)
    assert rows(DisclosureNotice) == []
    kit.post(
        mentor,
        f"{url}/notice",
        {**notice, "disclose_on": (today + timedelta(days=1)).isoformat()},
        status=303,
    )
    recorded = rows(DisclosureNotice)[0]
    assert recorded.seen_by_other_at is None and recorded.effective_from is None
    assert "Not yet shown to the other party" in text_of(kit.get(mentor, url))
    page = text_of(kit.get(mentee, url))
    assert "What I will say" in page and "HR" in page
    kit.post(mentee, f"{url}/seen", status=303)
    recorded = fresh(DisclosureNotice)[0]
    assert recorded.seen_by_other_at is not None
    assert recorded.effective_from >= recorded.seen_by_other_at
    assert recorded.effective_from >= recorded.disclose_on
    assert "Shown to the other party" in text_of(kit.get(mentor, url))


def test_immediate_danger_may_be_today_but_is_still_shown_first(kit):
    pair, mentor, mentee = kit.pair()
    _, url = raise_concern(kit, pair, mentee, immediate_danger="y")
    today = utcnow().date()
    kit.post(
        mentee,
        f"{url}/notice",
        {"what": "w", "to_whom": "t", "disclose_on": (today - timedelta(days=1)).isoformat()},
        status=422,
    )
    kit.post(
        mentee,
        f"{url}/notice",
        {"what": "w", "to_whom": "t", "disclose_on": today.isoformat()},
        status=303,
    )
    notice = rows(DisclosureNotice)[0]
    assert notice.seen_by_other_at is None and notice.effective_from is None
    kit.post(mentor, f"{url}/seen", status=303)
    notice = fresh(DisclosureNotice)[0]
    assert notice.seen_by_other_at is not None and notice.effective_from == max(
        notice.disclose_on, notice.seen_by_other_at
    )


def test_agree_and_counter_proposal_keep_the_whole_history(kit):
    pair, mentor, mentee = kit.pair()
    _, url = raise_concern(kit, pair, mentor)
    kit.post(
        mentee, f"{url}/respond", {"kind": "propose", "body": "I will tell them myself"}, status=303
    )
    kit.post(mentor, f"{url}/respond", {"kind": "propose", "body": "Together then"}, status=303)
    kit.post(mentee, f"{url}/respond", {"kind": "agree", "body": ""}, status=303)
    page = text_of(kit.get(mentor, url))
    assert "I will tell them myself" in page and "Together then" in page and "agreed" in page
    kit.post(mentee, f"{url}/respond", {"kind": "maybe", "body": "x"}, status=422)
