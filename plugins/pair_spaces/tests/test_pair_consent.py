"""Pairing needs both to accept, either way round; existence is public, nothing else is."""

from forum_pair_spaces.models import Pair
from pair_kit import rows


def test_mentor_invites_and_pair_forms_only_when_mentee_accepts(kit, make_user, client):
    mentor, mentee = make_user("mira_demo"), make_user("theo_demo")
    kit.post(
        mentor, "/p/pair_spaces/propose", {"username": "theo_demo", "role": "mentor"}, status=303
    )
    pair = rows(Pair)[0]
    assert pair.status == "proposed" and pair.formed_at is None
    assert "theo_demo" not in client.get("/p/pair_spaces/pairs").get_data(as_text=True)
    assert "mira_demo" not in client.get("/u/theo_demo").get_data(as_text=True)
    # the mentor cannot accept on the mentee's behalf
    kit.post(mentor, f"/p/pair_spaces/{pair.id}/accept", status=422)
    kit.post(mentee, f"/p/pair_spaces/{pair.id}/accept", status=303)
    pair = rows(Pair)[0]
    assert pair.status == "active" and pair.formed_at is not None
    directory = client.get("/p/pair_spaces/pairs")
    assert directory.status_code == 200
    page = directory.get_data(as_text=True)
    assert "mira_demo" in page and "theo_demo" in page and "Active" in page
    profile = client.get("/u/theo_demo").get_data(as_text=True)
    assert "Mentee of" in profile and "mira_demo" in profile


def test_member_asks_a_mentor_and_mentor_accepts(kit, make_user):
    mentor, mentee = make_user(), make_user()
    kit.post(
        mentee,
        "/p/pair_spaces/propose",
        {"username": mentor.username, "role": "mentee"},
        status=303,
    )
    pair = rows(Pair)[0]
    assert (pair.mentor_id, pair.mentee_id, pair.status) == (mentor.id, mentee.id, "proposed")
    kit.post(mentor, f"/p/pair_spaces/{pair.id}/accept", status=303)
    assert rows(Pair)[0].status == "active"


def test_declined_proposal_never_forms(kit, make_user, client):
    mentor, mentee = make_user(), make_user()
    kit.post(mentor, "/p/pair_spaces/propose", {"username": mentee.username, "role": "mentor"})
    pair = rows(Pair)[0]
    kit.post(mentee, f"/p/pair_spaces/{pair.id}/decline", status=303)
    assert rows(Pair)[0].status == "declined"
    kit.post(mentee, f"/p/pair_spaces/{pair.id}/accept", status=422)
    assert mentor.username not in client.get("/p/pair_spaces/pairs").get_data(as_text=True)


def test_either_party_can_end_and_directory_shows_ended(kit, client):
    pair, mentor, mentee = kit.pair()
    kit.post(mentee, f"/p/pair_spaces/{pair.id}/end", {"confirm": "y"}, status=303)
    assert rows(Pair)[0].status == "ended"
    assert "Ended" in client.get("/p/pair_spaces/pairs").get_data(as_text=True)


def test_bad_input_is_a_clean_4xx(kit, make_user):
    me = make_user()
    kit.post(
        me, "/p/pair_spaces/propose", {"username": "nobody_here", "role": "mentor"}, status=422
    )
    kit.post(me, "/p/pair_spaces/propose", {"username": me.username, "role": "mentor"}, status=422)
    kit.post(me, "/p/pair_spaces/propose", {"username": "x", "role": "boss"}, status=422)
    kit.get(me, "/p/pair_spaces/99999999999", status=404)
    kit.get(me, "/p/pair_spaces/12345", status=404)
    kit.get(me, "/p/pair_spaces/pairs?page=abc", status=400)


def test_space_requires_login_and_membership(kit, make_user, client):
    pair, _mentor, _mentee = kit.pair()
    assert client.get(f"/p/pair_spaces/{pair.id}").status_code in (302, 401)
    kit.get(make_user(), f"/p/pair_spaces/{pair.id}", status=404)
    moderator = make_user(roles=("member", "moderator"))
    admin = make_user(roles=("member", "admin"))
    kit.get(moderator, f"/p/pair_spaces/{pair.id}", status=404)
    kit.get(admin, f"/p/pair_spaces/{pair.id}", status=404)
