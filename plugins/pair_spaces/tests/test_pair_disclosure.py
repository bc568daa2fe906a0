"""Disclosure without surprise: the other party is told at once and sees a notice first."""

from datetime import timedelta

from forum_pair_spaces.models import Concern, DisclosureNotice
from pair_kit import rows, text_of
from sqlalchemy import select

from forum.db import utcnow
from forum.extensions import db
from forum.notifications.models import Notification

CONCERN = {"issue": "An ethical issue", "responsibilities": "Both of ours",
           "proposal": "I tell HR, with you present"}


def _raise(kit, pair, user, **extra):
    kit.post(user, f"/p/pair_spaces/{pair.id}/concerns", {**CONCERN, **extra}, status=303)
    return rows(Concern, Concern.pair_id == pair.id)[-1]


def test_concern_notifies_the_other_party_without_content(kit):
    pair, mentor, mentee = kit.pair()
    concern = _raise(kit, pair, mentor)
    notes = db.session.execute(select(Notification).where(Notification.user_id == mentee.id)).scalars().all()
    assert notes[-1].text == "New activity in your pair space"
    assert notes[-1].url == f"/p/pair_spaces/{pair.id}/concerns/{concern.id}"
    assert concern.seen_by_other_at is None
    kit.get(mentor, notes[-1].url)
    assert rows(Concern)[0].seen_by_other_at is None  # the raiser viewing is not the other party
    kit.get(mentee, notes[-1].url)
    assert rows(Concern)[0].seen_by_other_at is not None


def test_refusal_then_notice_with_the_date_rule(kit):
    pair, mentor, mentee = kit.pair()
    concern = _raise(kit, pair, mentor)
    url = f"/p/pair_spaces/{pair.id}/concerns/{concern.id}"
    today = utcnow().date()
    notice = {"what": "What I will say", "to_whom": "HR"}
    # no notice before the other party has answered (unless immediate danger)
    kit.post(mentor, f"{url}/notice", {**notice, "disclose_on": (today + timedelta(days=3)).isoformat()},
             status=422)
    kit.post(mentor, f"{url}/respond", {"kind": "refuse", "body": "x"}, status=422)  # raiser can't refuse
    kit.post(mentee, f"{url}/respond", {"kind": "refuse", "body": "Please don't"}, status=303)
    assert rows(Concern)[0].status == "refused"
    for day in (today - timedelta(days=1), today):
        kit.post(mentor, f"{url}/notice", {**notice, "disclose_on": day.isoformat()}, status=422)
    assert rows(DisclosureNotice) == []
    kit.post(mentor, f"{url}/notice", {**notice, "disclose_on": (today + timedelta(days=1)).isoformat()},
             status=303)
    recorded = rows(DisclosureNotice)[0]
    assert recorded.seen_by_other_at is None and recorded.effective_from is None
    assert "Not yet shown to the other party" in text_of(kit.get(mentor, url))
    page = text_of(kit.get(mentee, url))
    assert "What I will say" in page and "HR" in page
    recorded = rows(DisclosureNotice)[0]
    assert recorded.seen_by_other_at is not None
    assert recorded.effective_from >= recorded.seen_by_other_at
    assert recorded.effective_from >= recorded.disclose_on


def test_immediate_danger_may_be_today_but_is_still_shown_first(kit):
    pair, mentor, mentee = kit.pair()
    concern = _raise(kit, pair, mentee, immediate_danger="y")
    url = f"/p/pair_spaces/{pair.id}/concerns/{concern.id}"
    today = utcnow().date()
    kit.post(mentee, f"{url}/notice", {"what": "w", "to_whom": "t",
                                       "disclose_on": (today - timedelta(days=1)).isoformat()}, status=422)
    kit.post(mentee, f"{url}/notice", {"what": "w", "to_whom": "t", "disclose_on": today.isoformat()},
             status=303)
    notice = rows(DisclosureNotice)[0]
    assert notice.seen_by_other_at is None and notice.effective_from is None
    kit.get(mentor, url)
    notice = rows(DisclosureNotice)[0]
    assert notice.seen_by_other_at is not None and notice.effective_from == max(
        notice.disclose_on, notice.seen_by_other_at)


def test_agree_and_counter_proposal_keep_the_whole_history(kit):
    pair, mentor, mentee = kit.pair()
    concern = _raise(kit, pair, mentor)
    url = f"/p/pair_spaces/{pair.id}/concerns/{concern.id}"
    kit.post(mentee, f"{url}/respond", {"kind": "propose", "body": "I will tell them myself"}, status=303)
    kit.post(mentor, f"{url}/respond", {"kind": "propose", "body": "Together then"}, status=303)
    kit.post(mentee, f"{url}/respond", {"kind": "agree", "body": ""}, status=303)
    page = text_of(kit.get(mentor, url))
    assert "I will tell them myself" in page and "Together then" in page and "agreed" in page
    kit.post(mentee, f"{url}/respond", {"kind": "maybe", "body": "x"}, status=422)
