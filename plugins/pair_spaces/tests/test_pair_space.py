"""The space: closed until the agreement is in force; conversation, role play, notes, goals,
meetings and a journal the other party never sees."""

from forum_pair_spaces.models import JournalEntry, Message
from pair_kit import rows, text_of


def test_space_opens_only_when_both_accept_the_agreement(kit):
    pair, mentor, mentee = kit.pair(agree=False)
    base = f"/p/pair_spaces/{pair.id}"
    response = kit.get(mentor, base, status=302)
    assert response.headers["Location"].endswith(f"{base}/agreement")
    kit.post(mentor, f"{base}/messages", {"body": "too early"}, status=302)
    assert rows(Message) == []
    page = text_of(kit.get(mentee, f"{base}/agreement"))
    assert "suitability for a role" in page and "duty of care" in page.lower()
    version = page.split(f"{base}/agreement/")[1].split("/accept")[0]
    kit.post(mentor, f"{base}/agreement/{version}/accept", status=303)
    kit.get(mentee, base, status=302)  # one acceptance is not enough
    kit.post(mentee, f"{base}/agreement/{version}/accept", status=303)
    assert kit.get(mentee, base).status_code == 200


def test_conversation_markdown_edit_delete_own_only(kit):
    pair, mentor, mentee = kit.pair()
    base = f"/p/pair_spaces/{pair.id}"
    kit.post(
        mentor,
        f"{base}/messages",
        {"body": "Hello **there** <script>alert(1)</script>"},
        status=303,
    )
    page = kit.get(mentee, base).get_data(as_text=True)
    assert "<strong>there</strong>" in page and "<script>alert" not in page
    message = rows(Message)[0]
    kit.post(mentee, f"{base}/messages/{message.id}/edit", {"body": "hijack"}, status=403)
    kit.post(mentee, f"{base}/messages/{message.id}/delete", status=403)
    kit.post(mentor, f"{base}/messages/{message.id}/edit", {"body": "Hello again"}, status=303)
    assert "Hello again" in kit.get(mentee, base).get_data(as_text=True)
    kit.post(mentor, f"{base}/messages/{message.id}/edit", {"body": ""}, status=422)
    kit.post(mentor, f"{base}/messages/{message.id}/delete", status=303)
    page = kit.get(mentee, base).get_data(as_text=True)
    assert "Hello again" not in page and "(message deleted)" in page
    assert rows(Message)[0].body_source == ""


def test_role_play_marks_the_stretch_of_conversation(kit):
    pair, mentor, mentee = kit.pair()
    base = f"/p/pair_spaces/{pair.id}"
    kit.post(mentor, f"{base}/messages", {"body": "before"}, status=303)
    kit.post(mentee, f"{base}/roleplay/start", status=303)
    kit.post(mentee, f"{base}/roleplay/start", status=422)
    kit.post(mentor, f"{base}/messages", {"body": "during"}, status=303)
    page = text_of(kit.get(mentee, base))
    assert "Role play in progress" in page and "role play: speaking as mentee" in page
    kit.post(mentor, f"{base}/roleplay/end", status=303)
    kit.post(mentor, f"{base}/messages", {"body": "after"}, status=303)
    before, during, after = rows(Message)
    assert (
        before.roleplay_id is None and during.roleplay_id is not None and after.roleplay_id is None
    )
    assert "Role play in progress" not in text_of(kit.get(mentee, base))


def test_notes_goals_meetings(kit):
    pair, mentor, mentee = kit.pair()
    base = f"/p/pair_spaces/{pair.id}"
    kit.post(mentor, f"{base}/notes", {"title": "Reading list", "body": "- *one*"}, status=303)
    assert "<em>one</em>" in kit.get(mentee, f"{base}/notes").get_data(as_text=True)
    kit.post(mentee, f"{base}/goals", {"title": "Speak at a meeting"}, status=303)
    page = kit.get(mentor, f"{base}/goals").get_data(as_text=True)
    goal_id = page.split(f"{base}/goals/")[1].split("/status")[0]
    kit.post(mentor, f"{base}/goals/{goal_id}/status", {"status": "achieved"}, status=303)
    kit.post(mentor, f"{base}/goals/{goal_id}/status", {"status": "bogus"}, status=400)
    assert "achieved" in kit.get(mentee, f"{base}/goals").get_data(as_text=True)
    kit.post(
        mentee,
        f"{base}/meetings",
        {"held_on": "2026-02-03", "summary": "Talked it over"},
        status=303,
    )
    kit.post(mentee, f"{base}/meetings", {"held_on": "not a date", "summary": "x"}, status=422)
    assert "Talked it over" in kit.get(mentor, f"{base}/meetings").get_data(as_text=True)


def test_journal_is_private_even_from_the_other_party(kit):
    pair, mentor, mentee = kit.pair()
    base = f"/p/pair_spaces/{pair.id}"
    kit.post(mentee, f"{base}/journal", {"body": "my own thoughts"}, status=303)
    assert "my own thoughts" in kit.get(mentee, f"{base}/journal").get_data(as_text=True)
    assert "my own thoughts" not in kit.get(mentor, f"{base}/journal").get_data(as_text=True)
    assert len(rows(JournalEntry)) == 1


def test_private_pages_are_no_store_and_notifications_are_content_free(kit, app):
    from sqlalchemy import select

    from forum.sdk import db
    from forum.testing import Notification

    pair, mentor, mentee = kit.pair()
    base = f"/p/pair_spaces/{pair.id}"
    for path in ("", "/notes", "/journal", "/agreement", "/export.json"):
        assert kit.get(mentor, base + path).headers["Cache-Control"] == "no-store"
    kit.post(mentor, f"{base}/messages", {"body": "very private words"}, status=303)
    texts = db.session.execute(
        select(Notification.text, Notification.url).where(Notification.user_id == mentee.id)
    ).all()
    assert texts and {t for t, _u in texts} == {"New activity in your pair space"}
    assert all(u.startswith("/p/pair_spaces/") for _t, u in texts)


def test_ended_pair_is_read_only(kit):
    pair, mentor, mentee = kit.pair()
    base = f"/p/pair_spaces/{pair.id}"
    kit.post(mentor, f"{base}/messages", {"body": "kept"}, status=303)
    kit.post(mentor, f"{base}/end", {"confirm": "y"}, status=303)
    assert "kept" in kit.get(mentee, base).get_data(as_text=True)
    kit.post(mentee, f"{base}/messages", {"body": "late"}, status=422)
