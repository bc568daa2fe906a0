"""Proposing from a profile: message, consent, withdraw, decline with a reason, daily limit."""

from forum_pair_spaces.models import Pair
from forum_pair_spaces.services.mentoring import PROPOSALS_PER_DAY_KEY
from mentor_kit import publish
from pair_kit import rows, text_of

from forum.sdk import db, set_setting


def _propose(kit, user, other, message="Would you mentor me?", status=303, role="mentee"):
    url = f"/p/pair_spaces/propose/{other.username}"
    return kit.post(user, url, {"role": role, "message": message}, status=status)


def test_a_profile_offers_propose_and_the_consent_flow_forms_the_pair(kit):
    mentor, mentee = kit.make_user("ana_mentor"), kit.make_user("eve_mentee")
    publish(kit, mentor)
    profile = text_of(kit.get(mentee, "/u/ana_mentor"))
    assert 'href="/p/pair_spaces/propose/ana_mentor"' in profile and "Propose a pair" in profile
    assert "Propose a pair" not in text_of(kit.get(mentor, "/u/ana_mentor"))  # not to oneself
    _propose(kit, mentee, mentor, "Hello PROPOSALNOTE")
    pair = rows(Pair)[0]
    assert (pair.mentor_id, pair.mentee_id, pair.status) == (mentor.id, mentee.id, "proposed")
    assert "PROPOSALNOTE" in text_of(kit.get(mentor, "/p/pair_spaces/mine"))
    assert "PROPOSALNOTE" not in text_of(kit.get(kit.make_user(), "/u/ana_mentor"))
    kit.post(mentor, f"/p/pair_spaces/{pair.id}/accept", status=303)
    db.session.expire_all()
    assert rows(Pair)[0].status == "active"


def test_bad_input_is_422_beside_the_field_with_the_text_kept(kit):
    mentor, mentee = kit.make_user(), kit.make_user()
    page = _propose(kit, mentee, mentor, "", status=422).get_data(as_text=True)
    assert 'class="error"' in page
    page = _propose(kit, mentee, mentor, "x" * 1001, status=422).get_data(as_text=True)
    assert "x" * 1001 in page
    _propose(kit, mentee, mentor, role="boss", status=422)
    kit.get(mentee, "/p/pair_spaces/propose/nobody_here", status=404)
    assert rows(Pair) == []


def test_the_daily_limit_counts_withdrawn_proposals_and_keeps_the_message(kit):
    set_setting(PROPOSALS_PER_DAY_KEY, 2)
    db.session.commit()
    mentee = kit.make_user()
    first, second, third = (kit.make_user() for _ in range(3))
    _propose(kit, mentee, first)
    pair = rows(Pair)[0]
    kit.post(mentee, f"/p/pair_spaces/{pair.id}/decline", status=303)  # withdraw
    db.session.expire_all()
    assert rows(Pair)[0].status == "declined" and rows(Pair)[0].ended_by_id == mentee.id
    _propose(kit, mentee, second)
    page = _propose(kit, mentee, third, "Third try KEEPME", status=422).get_data(as_text=True)
    assert "2 proposals in the last 24 hours" in page and "Third try KEEPME" in page
    assert len(rows(Pair)) == 2
    _propose(kit, kit.make_user(), third)  # the limit is per member


def test_a_decline_reason_reaches_the_proposer_only(kit):
    mentor, mentee = kit.make_user(), kit.make_user()
    _propose(kit, mentee, mentor)
    pair = rows(Pair)[0]
    kit.post(
        mentor, f"/p/pair_spaces/{pair.id}/decline", {"reason": "Fully booked REASON1"}, status=303
    )
    assert "Fully booked REASON1" in text_of(kit.get(mentee, "/notifications"))
    assert "Fully booked REASON1" in text_of(kit.get(mentee, "/p/pair_spaces/mine"))
    assert "REASON1" not in text_of(kit.get(kit.make_user(), f"/u/{mentor.username}"))
    kit.post(mentor, f"/p/pair_spaces/{pair.id}/decline", status=422)  # no longer open


def test_a_full_or_paused_mentor_takes_no_new_proposals(kit):
    mentor = kit.make_user()
    publish(kit, mentor, max_active_pairs="1")
    kit.pair(mentor=mentor, agree=False)
    page = _propose(kit, kit.make_user(), mentor, status=422).get_data(as_text=True)
    assert "not taking new mentees" in page
    publish(kit, mentor, availability="paused", max_active_pairs="5")
    _propose(kit, kit.make_user(), mentor, status=422)
