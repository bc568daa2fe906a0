"""Supervisor guidance: the supervisor sees only the request thread; the other party only the fact."""

from forum_pair_spaces.models import GuidanceRequest
from pair_kit import fill_space, rows, text_of


def test_supervisor_sees_only_the_request_and_other_party_only_that_it_was_sought(kit, make_user):
    supervisor = make_user("sam_supervisor_demo", roles=("member", "supervisor"))
    pair, mentor, mentee = kit.pair()
    fill_space(kit, pair, mentor, mentee, "GUIDECANARY")
    base = f"/p/pair_spaces/{pair.id}"
    kit.post(
        mentee,
        f"{base}/guidance",
        {"supervisor": supervisor.username, "body": "How do I handle this, SECRETASK"},
        status=303,
    )
    thread = rows(GuidanceRequest)[0]
    page = text_of(kit.get(supervisor, f"/p/pair_spaces/guidance/{thread.id}"))
    assert "SECRETASK" in page and "GUIDECANARY" not in page
    kit.post(
        supervisor,
        f"/p/pair_spaces/guidance/{thread.id}",
        {"body": "My advice SECRETREPLY"},
        status=303,
    )
    for path in ("", "/notes", "/goals", "/journal", "/concerns", "/agreement", "/export.json"):
        kit.get(supervisor, base + path, status=404)
    inbox = text_of(kit.get(supervisor, "/p/pair_spaces/guidance"))
    assert "A mentee asked you" in inbox and "SECRETASK" not in inbox
    assert mentee.username not in inbox and mentor.username not in inbox
    # the requester sees the reply; the other party sees the fact, never the words
    assert "SECRETREPLY" in text_of(kit.get(mentee, f"/p/pair_spaces/guidance/{thread.id}"))
    assert "SECRETREPLY" in text_of(kit.get(mentee, f"{base}/guidance"))  # read in the space
    kit.get(mentor, f"/p/pair_spaces/guidance/{thread.id}", status=404)
    space = text_of(kit.get(mentor, base))
    assert "sought guidance from a mentoring supervisor" in space
    assert "SECRETASK" not in space and "SECRETREPLY" not in space
    export = kit.get(mentor, f"{base}/export.json").get_data(as_text=True)
    assert "SECRETASK" not in export and "SECRETREPLY" not in export
    # another supervisor sees nothing of this thread
    other = make_user(roles=("member", "supervisor"))
    kit.get(other, f"/p/pair_spaces/guidance/{thread.id}", status=404)


def test_only_a_supervisor_outside_the_pair_can_be_asked(kit, make_user):
    pair, mentor, mentee = kit.pair()
    plain = make_user()
    kit.post(
        mentor,
        f"/p/pair_spaces/{pair.id}/guidance",
        {"supervisor": plain.username, "body": "x"},
        status=422,
    )
    assert rows(GuidanceRequest) == []
