"""Supervision without identities: a marker planted in both members' usernames and display names
reaches nothing the supervisor can open (pages, notifications, e-mails, API) unless the
requester signs; the other member learns that guidance was sought and by whom, not what."""

from forum_pair_spaces.models import GuidanceRequest
from pair_kit import rows, text_of
from sqlalchemy import select

from forum.sdk import db
from forum.testing import OutboxMail

MARKER = "zqxmark"


def _members(kit):
    mentor = kit.make_user(f"{MARKER}_mentor", display_name=f"Mentor {MARKER.upper()} Dee")
    mentee = kit.make_user(f"{MARKER}_mentee", display_name=f"Mentee {MARKER.title()} Ess")
    return kit.pair(mentor=mentor, mentee=mentee)


def _mails_to(user) -> str:
    db.session.expire_all()
    mails = db.session.execute(select(OutboxMail).where(OutboxMail.to == user.email)).scalars()
    return " ".join(m.subject + " " + m.body for m in mails)


def _supervisor_reach(kit, supervisor, thread_id) -> dict[str, str]:
    """Everything the supervisor can open about the request."""
    paths = [
        "/p/pair_spaces/guidance",
        f"/p/pair_spaces/guidance/{thread_id}",
        "/notifications",
        "/api/v1/me",
    ]
    client = kit.client(supervisor)
    seen = {path: client.get(path).get_data(as_text=True) for path in paths}
    for query in (MARKER, "ASKTEXT"):  # the answer echoes the query: look at the hits only
        seen[f"api search {query}"] = str(client.get(f"/api/v1/search?q={query}").json["data"])
    seen["e-mail"] = _mails_to(supervisor)
    return seen


def _leaks(seen: dict[str, str]) -> list[str]:
    return [where for where, text in seen.items() if MARKER in text.lower()]


def test_the_supervisor_learns_nothing_that_names_either_member(kit, make_user):
    supervisor = make_user("sue_supervisor", roles=("member", "supervisor"))
    pair, mentor, mentee = _members(kit)
    base = f"/p/pair_spaces/{pair.id}"
    kit.post(mentor, f"{base}/guidance", {"supervisor": "any", "body": "ASKTEXT"}, status=303)
    thread = rows(GuidanceRequest)[0]
    assert thread.supervisor_id == supervisor.id and not thread.signed
    page = text_of(kit.get(supervisor, f"/p/pair_spaces/guidance/{thread.id}"))
    assert "ASKTEXT" in page and "a mentor" in page
    assert f"/p/pair_spaces/{pair.id}" not in page and f"/u/{MARKER}" not in page
    kit.post(supervisor, f"/p/pair_spaces/guidance/{thread.id}", {"body": "REPLYTEXT"}, status=303)
    kit.post(mentor, f"/p/pair_spaces/guidance/{thread.id}", {"body": "THANKS"}, status=303)
    seen = _supervisor_reach(kit, supervisor, thread.id)
    assert "ASKTEXT" in seen[f"/p/pair_spaces/guidance/{thread.id}"]  # the reach is real
    assert "waiting for you" in seen["/notifications"] and seen["e-mail"]
    assert _leaks(seen) == [], {k: seen[k][:600] for k in _leaks(seen)}
    # the reply reaches the requester in the space; the other member sees only the fact
    assert "REPLYTEXT" in text_of(kit.get(mentor, f"{base}/guidance"))
    timeline = text_of(kit.get(mentee, base))
    assert f"{mentor.name}: sought guidance from a mentoring supervisor" in timeline
    assert "ASKTEXT" not in timeline and "REPLYTEXT" not in timeline
    assert "ASKTEXT" not in text_of(kit.get(mentee, f"{base}/guidance"))
    assert "ASKTEXT" not in _mails_to(mentee) and "REPLYTEXT" not in _mails_to(mentor)


def test_a_signed_request_names_the_requester_and_banners_say_who_reads(kit, make_user):
    supervisor = make_user(roles=("member", "supervisor"))
    pair, mentor, mentee = _members(kit)
    kit.post(
        mentee,
        f"/p/pair_spaces/{pair.id}/guidance",
        {"supervisor": supervisor.username, "body": "SIGNED", "signed": "y"},
        status=303,
    )
    thread = rows(GuidanceRequest)[0]
    page = text_of(kit.get(supervisor, f"/p/pair_spaces/guidance/{thread.id}"))
    assert mentee.name in page and mentor.name not in page and mentor.username not in page
    assert "chose to sign" in page and "Who can read this" in page
    ask_page = text_of(kit.get(mentee, f"/p/pair_spaces/{pair.id}/guidance"))
    assert "Who can read this:</strong> you and the mentoring supervisor" in ask_page
    assert "only the two of you" not in ask_page.lower()


def test_a_supervisor_who_takes_no_requests_is_not_offered(kit, make_user):
    busy = make_user("busy_supervisor", roles=("member", "supervisor"))
    kit.post(
        busy,
        "/p/pair_spaces/mentoring/profile",
        {"availability": "open", "max_active_pairs": "1"},  # accepts_guidance unticked
        status=303,
    )
    pair, mentor, _mentee = kit.pair()
    assert "busy_supervisor" not in text_of(kit.get(mentor, f"/p/pair_spaces/{pair.id}/guidance"))
    kit.post(
        mentor,
        f"/p/pair_spaces/{pair.id}/guidance",
        {"supervisor": "busy_supervisor", "body": "x"},
        status=422,
    )
    kit.post(
        mentor, f"/p/pair_spaces/{pair.id}/guidance", {"supervisor": "any", "body": "x"}, status=422
    )
    assert rows(GuidanceRequest) == []
