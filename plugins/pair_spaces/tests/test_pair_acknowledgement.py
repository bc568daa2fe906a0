"""Opening a concern never writes: the other party confirms "I have read this" with a POST, and a
disclosure notice counts only from that confirmation."""

from datetime import timedelta

from forum_pair_spaces.models import Concern, DisclosureNotice, SpaceEvent
from pair_kit import fresh, raise_concern, rows, text_of

from forum.sdk import db, utcnow
from forum.testing import Notification, sql_statements, writes

BUTTON = "I have read this"


def _notice(kit, user, url, days=0, what="What I will say"):
    day = (utcnow().date() + timedelta(days=days)).isoformat()
    kit.post(user, f"{url}/notice", {"what": what, "to_whom": "HR", "disclose_on": day}, status=303)


def _danger(kit):
    """The mentor raises a concern of immediate danger and records a notice for today."""
    pair, mentor, mentee = kit.pair()
    concern, url = raise_concern(kit, pair, mentor, immediate_danger="y")
    _notice(kit, mentor, url)
    return pair, mentor, mentee, concern, url


def _receipts():
    return [fresh(Concern)[0].seen_by_other_at] + [
        n.seen_by_other_at for n in fresh(DisclosureNotice)
    ]


def _acknowledged_events():
    return [e for e in rows(SpaceEvent) if e.kind == "concern_acknowledged"]


def test_opening_the_concern_page_writes_nothing(kit):
    pair, mentor, mentee, concern, url = _danger(kit)
    client = kit.client(mentee)
    with sql_statements() as seen:
        response = client.get(url)
    assert response.status_code == 200 and writes(seen) == []
    assert _receipts() == [None, None]
    page = text_of(response)
    assert BUTTON in page and "Not yet seen by the other party" in page
    assert BUTTON not in text_of(
        kit.get(mentor, url)
    )  # the raiser has nothing of the other's to confirm


def test_the_other_party_confirms_the_concern_and_the_notices_not_their_own(kit):
    pair, mentor, mentee, concern, url = _danger(kit)
    _notice(kit, mentee, url, what="My own notice")
    told = db.session.query(Notification).filter_by(user_id=mentor.id).count()
    before = utcnow() - timedelta(seconds=1)
    kit.post(mentee, f"{url}/seen", status=303)
    on_concern, on_mentor_notice, on_mentee_notice = _receipts()
    assert on_concern is not None and on_concern >= before and on_mentor_notice == on_concern
    assert on_mentee_notice is None
    assert len(_acknowledged_events()) == 1
    assert db.session.query(Notification).filter_by(user_id=mentor.id).count() == told + 1
    page = text_of(kit.get(mentee, url))
    assert "Seen by the other party" in page and BUTTON not in page

    kit.post(mentee, f"{url}/seen", status=303)  # a second click changes nothing
    assert _receipts() == [on_concern, on_mentor_notice, None]
    assert len(_acknowledged_events()) == 1

    assert BUTTON in text_of(kit.get(mentor, url))  # the mentee's notice is the mentor's to confirm
    kit.post(mentor, f"{url}/seen", status=303)
    again_concern, again_mentor_notice, on_mentee_notice = _receipts()
    assert (again_concern, again_mentor_notice) == (on_concern, on_mentor_notice)
    assert on_mentee_notice is not None


def test_the_author_cannot_confirm_for_the_other_party(kit):
    pair, mentor, mentee, concern, url = _danger(kit)
    response = kit.post(mentor, f"{url}/seen", status=403)
    assert "only the other party" in text_of(response)
    assert _receipts() == [None, None] and _acknowledged_events() == []


def test_outsiders_get_404_and_get_is_not_allowed(kit, make_user):
    pair, mentor, mentee, concern, url = _danger(kit)
    other_pair, other_mentor, _ = kit.pair()
    kit.post(make_user(), f"{url}/seen", status=404)
    kit.post(other_mentor, f"{url}/seen", status=404)
    kit.post(other_mentor, f"/p/pair_spaces/{other_pair.id}/concerns/{concern.id}/seen", status=404)
    kit.get(mentee, f"{url}/seen", status=405)
    assert _receipts() == [None, None]


def test_confirming_needs_the_csrf_token(kit, make_app, login_as):
    pair, mentor, mentee, concern, url = _danger(kit)
    client = login_as(make_app(WTF_CSRF_ENABLED=True).test_client(), mentee)
    for forged in ({}, {"csrf_token": "forged"}):
        assert client.post(f"{url}/seen", data=forged).status_code == 400
    assert _receipts() == [None, None]
    form = client.get(url).get_data(as_text=True).split(f'action="{url}/seen"')[1]
    token = form.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post(f"{url}/seen", data={"csrf_token": token}).status_code == 303
    assert None not in _receipts()


def test_a_notice_counts_from_the_confirmation_not_from_the_reading(kit):
    pair, mentor, mentee = kit.pair()
    _, url = raise_concern(kit, pair, mentor, immediate_danger="y")
    _notice(kit, mentor, url, days=0, what="today")
    _notice(kit, mentor, url, days=3, what="in three days")
    kit.get(mentee, url)
    assert [n.effective_from for n in fresh(DisclosureNotice)] == [None, None]
    kit.post(mentee, f"{url}/seen", status=303)
    today, later = fresh(DisclosureNotice)
    assert today.effective_from == today.seen_by_other_at > today.disclose_on
    assert later.effective_from == later.disclose_on > later.seen_by_other_at
    assert "the disclosure may happen from" in text_of(kit.get(mentor, url))


def test_a_notice_is_still_confirmed_after_the_pair_ended(kit):
    """Ending the pair does not cancel the rule: the notice must still be shown before its date."""
    pair, mentor, mentee, concern, url = _danger(kit)
    kit.post(mentor, f"/p/pair_spaces/{pair.id}/end", {"confirm": "y"}, status=303)
    assert BUTTON in text_of(kit.get(mentee, url))
    kit.post(mentee, f"{url}/seen", status=303)
    assert None not in _receipts()
