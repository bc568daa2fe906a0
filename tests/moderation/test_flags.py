"""Members flag parts and comments; trusted flags hide content; flaggers hear the outcome."""

import pytest
from sqlalchemy import func, select

from forum import hookimpl
from forum.extensions import db
from forum.moderation.models import Flag
from forum.notifications.models import Notification


@pytest.fixture
def trusted_members(make_user):
    return [make_user(f"trusted{i}", trusted_override=True) for i in range(3)]


def _flag(app, login_as, user, kind, obj_id, reason="spam", **extra):
    client = login_as(app.test_client(), user)
    return client.post(f"/flag/{kind}/{obj_id}", data={"reason": reason, **extra})


def _count(model, *where):
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def test_member_flags_a_comment_once(app, login_as, make_comment, make_user, member):
    comment = make_comment(author=make_user("bob"), body="Buy cheap watches")
    client = login_as(app.test_client(), member)
    page = client.get(f"/flag/comment/{comment.id}")
    assert page.status_code == 200 and "private information" in page.get_data(as_text=True).lower()
    response = client.post(
        f"/flag/comment/{comment.id}", data={"reason": "spam", "note": "link farm"}
    )
    assert response.status_code == 303
    flag = db.session.execute(select(Flag)).scalar_one()
    assert (flag.target_type, flag.target_id, flag.user_id, flag.reason, flag.note) == (
        "comment",
        comment.id,
        member.id,
        "spam",
        "link farm",
    )
    # a second click: back to the comment, told why, nothing new recorded
    again = client.post(
        f"/flag/comment/{comment.id}", data={"reason": "abusive"}, follow_redirects=True
    )
    assert again.status_code == 200 and "already flagged this" in again.get_data(as_text=True)
    assert _count(Flag) == 1
    # the form is not offered again: the page says so and links back to the comment
    page = client.get(f"/flag/comment/{comment.id}").get_data(as_text=True)
    assert "already flagged this" in page and 'name="reason"' not in page
    assert "<h1>You flagged this comment</h1>" in page
    assert f'href="/comments/{comment.id}"' in page


def test_the_flag_form_shows_what_is_flagged_and_a_way_back(
    app, login_as, make_comment, make_user, member
):
    comment = make_comment(author=make_user("bob"), body="Buy *cheap* watches today")
    page = login_as(app.test_client(), member).get(f"/flag/comment/{comment.id}")
    html = page.get_data(as_text=True)
    assert '<blockquote class="flag-target"><p>Buy cheap watches today</p></blockquote>' in html
    assert ">Cancel</a>" in html


def test_flag_a_part(app, login_as, make_part, member):
    part = make_part()
    assert _flag(app, login_as, member, "part", part.id, "off-topic").status_code == 303
    assert _count(Flag, Flag.target_type == "part") == 1


def test_bad_flags_are_4xx(app, login_as, make_comment, make_user, member):
    mine = make_comment(author=member)
    pending = make_comment(author=make_user("bob"), status="pending")
    other = make_comment(author=make_user("carol"))
    assert _flag(app, login_as, member, "comment", mine.id).status_code == 403  # own writing
    assert _flag(app, login_as, member, "comment", pending.id).status_code == 404  # cannot see it
    assert _flag(app, login_as, member, "comment", 999999).status_code == 404
    assert _flag(app, login_as, member, "pair_message", other.id).status_code == 404
    assert _flag(app, login_as, member, "comment", other.id, "boring").status_code == 422
    assert _count(Flag) == 0


def test_guests_cannot_flag(client, make_comment):
    comment = make_comment()
    response = client.post(f"/flag/comment/{comment.id}", data={"reason": "spam"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _count(Flag) == 0


def test_flags_land_in_the_queue(app, login_as, mod_client, make_comment, make_user, member):
    comment = make_comment(author=make_user("bob"), body="Rude words")
    _flag(app, login_as, member, "comment", comment.id, "abusive", note="insults a reader")
    page = mod_client.get("/moderation/queue?kind=flagged").get_data(as_text=True)
    assert "Flagged comment by bob" in page and "abusive" in page and "insults a reader" in page


def test_trusted_flags_hide_content_at_the_threshold(
    app, login_as, make_comment, make_user, trusted_members, audit_count
):
    comment = make_comment(author=make_user("bob"))
    for user in trusted_members[:2]:
        _flag(app, login_as, user, "comment", comment.id)
    db.session.refresh(comment)
    assert comment.hidden_at is None
    _flag(app, login_as, trusted_members[2], "comment", comment.id)
    db.session.refresh(comment)
    assert comment.hidden_at is not None
    assert audit_count("comment.auto_hide") == 1
    assert app.test_client().get(f"/comments/{comment.id}").status_code == 404


def test_untrusted_flags_do_not_hide(app, login_as, make_comment, make_user, trusted_members):
    comment = make_comment(author=make_user("bob"))
    for i in range(4):
        _flag(app, login_as, make_user(f"new{i}"), "comment", comment.id)
    _flag(app, login_as, trusted_members[0], "comment", comment.id)
    db.session.refresh(comment)
    assert comment.hidden_at is None and _count(Flag) == 5


def test_threshold_is_a_setting(app, login_as, make_comment, make_user, trusted_members):
    from forum.kernel.settings import set_setting

    set_setting("moderation.flag_hide_threshold", 1)
    db.session.commit()
    comment = make_comment(author=make_user("bob"))
    _flag(app, login_as, trusted_members[0], "comment", comment.id)
    db.session.refresh(comment)
    assert comment.hidden_at is not None


def test_events_content_flagged_and_content_hidden(
    app, login_as, make_comment, make_user, trusted_members, register_plugin
):
    seen = []

    class Listener:
        @hookimpl
        def content_flagged(self, content, actor, reason):
            seen.append(("flagged", content.id, actor.username, reason))

        @hookimpl
        def content_hidden(self, content, actor, reason):
            seen.append(("hidden", content.id, actor, reason))

    comment = make_comment(author=make_user("bob"))
    with register_plugin(Listener()):
        for user in trusted_members:
            _flag(app, login_as, user, "comment", comment.id)
    assert seen[:3] == [("flagged", comment.id, u.username, "spam") for u in trusted_members]
    assert seen[3] == ("hidden", comment.id, None, "flagged by trusted members")


@pytest.mark.parametrize(
    "decision,outcome,hidden", [("approve", "kept", False), ("reject", "hidden", True)]
)
def test_moderator_decides_and_flaggers_learn_the_outcome(
    app,
    login_as,
    mod_client,
    make_comment,
    make_user,
    trusted_members,
    audit_count,
    decision,
    outcome,
    hidden,
):
    comment = make_comment(author=make_user("bob"), body="Secret phone number 555-0100")
    for user in trusted_members:
        _flag(app, login_as, user, "comment", comment.id, "private information")
    response = mod_client.post(
        "/moderation/queue",
        data={
            "decide": f"{decision}:flagged:comment:{comment.id}",
            f"reason-flagged:comment:{comment.id}": "Checked by a moderator",
        },
    )
    assert response.status_code == 303
    db.session.refresh(comment)
    assert (comment.hidden_at is not None) is hidden
    flags = db.session.execute(select(Flag)).scalars().all()
    assert {f.outcome for f in flags} == {outcome} and all(f.resolved_at for f in flags)
    notes = (
        db.session.execute(
            select(Notification)
            .where(Notification.kind == "flag_outcome")
            .order_by(Notification.user_id)
        )
        .scalars()
        .all()
    )
    assert [n.user_id for n in notes] == [u.id for u in trusted_members]
    assert all("555" not in n.text and "phone" not in n.text for n in notes)
    assert audit_count("comment.auto_hide") == 1
    assert audit_count("comment.keep" if decision == "approve" else "comment.hide") == 1
    assert "Nothing is waiting here." in mod_client.get("/moderation/queue").get_data(as_text=True)


def test_deleting_flagged_content_upholds_the_flags(
    app, login_as, mod_client, make_comment, make_user, member
):
    comment = make_comment(author=make_user("bob"))
    _flag(app, login_as, member, "comment", comment.id)
    mod_client.post(f"/moderation/content/comment/{comment.id}/delete", data={"reason": "Spam"})
    flag = db.session.execute(select(Flag)).scalar_one()
    assert flag.outcome == "deleted"
    note = db.session.execute(
        select(Notification).where(Notification.kind == "flag_outcome")
    ).scalar_one()
    assert note.user_id == member.id and "removed" in note.text


def test_flag_links_appear_for_members_not_authors(
    app, login_as, make_comment, make_characteristic, make_user, member
):
    thread = make_characteristic()
    comment = make_comment(characteristic=thread, author=make_user("bob"))
    page = login_as(app.test_client(), member).get(f"/c/{thread.slug}").get_data(as_text=True)
    assert f"/flag/comment/{comment.id}" in page
    bob = db.session.execute(
        select(type(member)).where(type(member).username == "bob")
    ).scalar_one()
    page = login_as(app.test_client(), bob).get(f"/c/{thread.slug}").get_data(as_text=True)
    assert f"/flag/comment/{comment.id}" not in page


def test_only_core_content_reaches_moderation_pages(app, mod_client, moderator, member):
    """Flags on any other type (say, a private pair-space message) are never listed or counted."""
    from forum.moderation.queue import waiting_count
    from forum.visibility import as_actor

    db.session.add(
        Flag(
            target_type="pair_message",
            target_id=1,
            user_id=member.id,
            reason="abusive",
            note="canary-7f3a",
        )
    )
    db.session.commit()
    with as_actor(moderator):
        assert waiting_count() == 0
    page = mod_client.get("/moderation/queue").get_data(as_text=True)
    assert "canary-7f3a" not in page and "Nothing is waiting here." in page
    assert mod_client.get("/moderation/content/pair_message/1").status_code == 404
