"""Pair-space forms never lose what was typed: a refusal comes back beside its field (422)."""

import html
from datetime import timedelta

from forum_pair_spaces.models import DisclosureNotice, Pair
from pair_kit import raise_concern, rows

from forum.sdk import db, utcnow


def page_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_proposal_to_an_unknown_member_keeps_the_form(kit, make_user):
    me = make_user()
    response = kit.post(
        me, "/p/pair_spaces/propose", {"username": "nobody_here", "role": "mentee"}, status=422
    )
    page = page_of(response)
    assert 'class="field has-error"' in page
    assert "There is no member with that username." in page
    assert 'value="nobody_here"' in page  # what was typed is still in the field
    assert '<input checked id="role-1" name="role" required type="radio" value="mentee">' in page
    assert rows(Pair) == []


def test_proposal_to_oneself_is_shown_beside_the_username(kit, make_user):
    me = make_user("solo")
    page = page_of(kit.post(me, "/p/pair_spaces/propose", {"username": "SOLO", "role": "mentor"}))
    assert "You cannot pair with yourself." in page and 'value="SOLO"' in page


def test_a_notice_date_too_early_keeps_what_was_typed(kit):
    pair, mentor, mentee = kit.pair()
    _, url = raise_concern(kit, pair, mentor)
    kit.post(mentee, f"{url}/respond", {"kind": "refuse", "body": "Please don't"}, status=303)
    what = "I will tell HR about the missed deadlines, and only that"
    response = kit.post(
        mentor,
        f"{url}/notice",
        {"what": what, "to_whom": "Head of HR", "disclose_on": utcnow().date().isoformat()},
        status=422,
    )
    page = page_of(response)
    assert "The disclosure date cannot be earlier than" in page
    assert 'id="disclose_on-help"' in page  # the error sits beside the date field
    assert what in page and 'value="Head of HR"' in page
    assert rows(DisclosureNotice) == []


def test_a_notice_before_the_answer_is_explained_on_the_page(kit):
    pair, mentor, _mentee = kit.pair()
    _, url = raise_concern(kit, pair, mentor)
    day = (utcnow().date() + timedelta(days=5)).isoformat()
    response = kit.post(
        mentor, f"{url}/notice", {"what": "Kept text", "to_whom": "HR", "disclose_on": day}
    )
    page = page_of(response)
    assert response.status_code == 422
    assert "Wait for the other party's answer" in page and "Kept text" in page


def test_ending_a_pair_or_deleting_its_space_asks_first(kit):
    pair, mentor, _mentee = kit.pair()
    base = f"/p/pair_spaces/{pair.id}"
    assert 'name="confirm"' in kit.get(mentor, f"{base}/leave").get_data(as_text=True)
    refused = kit.post(mentor, f"{base}/end", status=422)
    assert "Tick the box to confirm; nothing changed." in refused.get_data(as_text=True)
    assert rows(Pair, Pair.id == pair.id)[0].status == "active"
    kit.post(mentor, f"{base}/end", {"confirm": "y"}, status=303)
    db.session.expire_all()
    assert rows(Pair, Pair.id == pair.id)[0].status == "ended"
    kit.post(mentor, f"{base}/delete-request", status=422)
    db.session.expire_all()
    assert rows(Pair, Pair.id == pair.id)[0].mentor_delete_requested_at is None
