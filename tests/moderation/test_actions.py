"""Hide, delete, lock, suspend and trust: each state transition, its effect, one audit entry each."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.audit.models import AuditEntry
from forum.db import utcnow
from forum.extensions import db


def _last_entry():
    return db.session.execute(
        select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar_one()


@pytest.mark.parametrize("kind", ["comment", "part"])
def test_hide_unhide_delete_restore(mod_client, make_comment, make_part, member, audit_count, kind):
    obj = (
        make_comment(author=member, body="Visible words")
        if kind == "comment"
        else make_part(body="Visible words")
    )
    base = f"/moderation/content/{kind}/{obj.id}"

    def public():
        from forum.visibility import as_actor

        model = type(obj)
        with as_actor(None):
            return (
                db.session.execute(select(model.id).where(model.id == obj.id)).first() is not None
            )

    assert public()
    steps = [
        ("hide", "hidden_at", True, False),
        ("unhide", "hidden_at", False, True),
        ("delete", "deleted_at", True, False),
        ("restore", "deleted_at", False, True),
    ]
    for n, (action, column, is_set, visible) in enumerate(steps, start=1):
        response = mod_client.post(f"{base}/{action}", data={"reason": f"step {n}"})
        assert response.status_code == 303, action
        db.session.refresh(obj)
        assert (getattr(obj, column) is not None) == is_set, action
        assert public() == visible, action
        assert audit_count() == n
        entry = _last_entry()
        assert (
            entry.action == f"{kind}.{action}"
            and entry.target_id == obj.id
            and entry.reason == f"step {n}"
        )
        assert (entry.before[column] is None) == is_set and (entry.after[column] is None) != is_set


def test_invalid_transitions_are_409_and_change_nothing(
    mod_client, make_comment, member, audit_count
):
    comment = make_comment(author=member)
    base = f"/moderation/content/comment/{comment.id}"
    assert mod_client.post(f"{base}/unhide").status_code == 409
    assert mod_client.post(f"{base}/restore").status_code == 409
    assert mod_client.post(f"{base}/keep").status_code == 409
    assert mod_client.post(f"{base}/hide", data={"reason": "x"}).status_code == 303
    assert mod_client.post(f"{base}/hide", data={"reason": "x"}).status_code == 409
    assert audit_count() == 1


def test_hide_and_delete_need_a_reason(mod_client, make_comment, member, audit_count):
    comment = make_comment(author=member)
    for action in ("hide", "delete"):
        assert (
            mod_client.post(f"/moderation/content/comment/{comment.id}/{action}").status_code == 422
        )
    assert audit_count() == 0


def test_unknown_kinds_and_actions_are_404(mod_client, make_comment):
    comment = make_comment()
    assert mod_client.post(f"/moderation/content/comment/{comment.id}/explode").status_code == 404
    assert mod_client.post(f"/moderation/content/pair_message/{comment.id}/hide").status_code == 404
    assert mod_client.get("/moderation/content/comment/999999").status_code == 404
    assert mod_client.get("/moderation/content/comment/99999999999").status_code == 404


def test_content_page_shows_state_flags_and_history(mod_client, make_comment, member):
    comment = make_comment(author=member, body="Some words")
    mod_client.post(f"/moderation/content/comment/{comment.id}/hide", data={"reason": "Rude"})
    page = mod_client.get(f"/moderation/content/comment/{comment.id}").get_data(as_text=True)
    assert (
        "Some words" in page
        and "Hidden since" in page
        and "comment.hide" in page
        and "Rude" in page
    )
    assert "Unhide" in page


def test_lock_and_unlock_a_thread(
    mod_client, client, login_as, make_characteristic, make_user, audit_count
):
    thread = make_characteristic()
    trusted = make_user("writer", trusted_override=True)
    assert (
        mod_client.post(
            f"/moderation/threads/{thread.id}/lock", data={"reason": "Heated"}
        ).status_code
        == 303
    )
    db.session.refresh(thread)
    assert thread.locked and _last_entry().action == "characteristic.lock"
    assert mod_client.post(f"/moderation/threads/{thread.id}/lock").status_code == 409
    writer = login_as(client.application.test_client(), trusted)
    response = writer.post(f"/c/{thread.slug}/comments", data={"body": "Let me in"})
    assert response.status_code == 403
    assert mod_client.post(f"/moderation/threads/{thread.id}/unlock").status_code == 303
    db.session.refresh(thread)
    assert not thread.locked and audit_count() == 2
    response = writer.post(f"/c/{thread.slug}/comments", data={"body": "Let me in"})
    assert response.status_code == 302
    assert "Threads" in mod_client.get("/moderation/threads").get_data(as_text=True)
    assert mod_client.post("/moderation/threads/999999/lock").status_code == 404
    assert mod_client.post(f"/moderation/threads/{thread.id}/smash").status_code == 404


def test_suspend_blocks_writing_shows_why_and_can_be_lifted(
    mod_client, client, login_as, make_characteristic, make_comment, make_user, audit_count
):
    thread = make_characteristic()
    bob = make_user("bob", trusted_override=True)
    other = make_comment(characteristic=thread, author=make_user("carol"))
    response = mod_client.post(
        "/moderation/users/bob/suspend",
        data={
            "until": (utcnow() + timedelta(days=7)).date().isoformat(),
            "reason": "Repeated insults",
            "confirm": "y",
        },
    )
    assert response.status_code == 303
    db.session.refresh(bob)
    assert bob.is_suspended and _last_entry().action == "user.suspend"

    client = login_as(client.application.test_client(), bob)
    page = client.get("/").get_data(as_text=True)
    assert "Your account is suspended until" in page and "Repeated insults" in page
    assert client.get(f"/c/{thread.slug}").status_code == 200  # still reads
    assert (
        client.post(f"/c/{thread.slug}/comments", data={"body": "Let me speak"}).status_code == 403
    )
    assert client.post(f"/flag/comment/{other.id}", data={"reason": "spam"}).status_code == 403

    assert (
        mod_client.post(
            "/moderation/users/bob/unsuspend", data={"reason": "Apologised"}
        ).status_code
        == 303
    )
    db.session.refresh(bob)
    assert not bob.is_suspended and audit_count() == 2
    assert "suspended" not in client.get("/").get_data(as_text=True)
    assert client.post(f"/c/{thread.slug}/comments", data={"body": "Thank you"}).status_code == 302
    assert mod_client.post("/moderation/users/bob/unsuspend").status_code == 409


def test_suspension_ends_by_itself_at_its_date(client, login_as, make_characteristic, make_user):
    thread = make_characteristic()
    bob = make_user(
        "bob",
        trusted_override=True,
        suspension_reason="Cooling off",
        suspended_until=utcnow() + timedelta(hours=1),
    )
    login_as(client, bob)
    assert client.post(f"/c/{thread.slug}/comments", data={"body": "Too early"}).status_code == 403
    bob.suspended_until = utcnow() - timedelta(seconds=1)  # the date passes
    db.session.commit()
    assert "suspended" not in client.get("/").get_data(as_text=True)
    assert client.post(f"/c/{thread.slug}/comments", data={"body": "Back again"}).status_code == 302


def test_suspension_needs_a_future_date_and_a_reason(mod_client, member, audit_count):
    past = (utcnow() - timedelta(days=1)).date().isoformat()
    assert (
        mod_client.post(
            "/moderation/users/ann/suspend", data={"until": past, "reason": "x", "confirm": "y"}
        ).status_code
        == 422
    )
    assert (
        mod_client.post(
            "/moderation/users/ann/suspend", data={"until": "2099-01-01", "confirm": "y"}
        ).status_code
        == 422
    )
    assert (
        mod_client.post(
            "/moderation/users/ann/suspend", data={"until": "soon", "reason": "x", "confirm": "y"}
        ).status_code
        == 422
    )
    assert (
        mod_client.post(
            "/moderation/users/nobody/suspend",
            data={"until": "2099-01-01", "reason": "x", "confirm": "y"},
        ).status_code
        == 404
    )
    assert audit_count() == 0


def test_user_page_shows_trust_and_suspension(mod_client, member):
    page = mod_client.get("/moderation/users/ann").get_data(as_text=True)
    assert "Not trusted" in page and "Suspend" in page
    assert mod_client.get("/moderation/users/" + "x" * 41).status_code == 404


def test_every_action_writes_exactly_one_audit_entry(
    mod_client, make_comment, make_characteristic, member, audit_count
):
    comment = make_comment(author=member)
    thread = make_characteristic()
    actions = [
        (f"/moderation/content/comment/{comment.id}/hide", {"reason": "r"}, "comment.hide"),
        (f"/moderation/content/comment/{comment.id}/unhide", {}, "comment.unhide"),
        (f"/moderation/content/comment/{comment.id}/delete", {"reason": "r"}, "comment.delete"),
        (f"/moderation/content/comment/{comment.id}/restore", {}, "comment.restore"),
        (f"/moderation/threads/{thread.id}/lock", {}, "characteristic.lock"),
        (f"/moderation/threads/{thread.id}/unlock", {}, "characteristic.unlock"),
        (
            "/moderation/users/ann/suspend",
            {"until": "2099-01-01", "reason": "r", "confirm": "y"},
            "user.suspend",
        ),
        ("/moderation/users/ann/unsuspend", {}, "user.unsuspend"),
        ("/moderation/users/ann/trust", {"trust": "grant"}, "user.trust_grant"),
        ("/moderation/users/ann/trust", {"trust": "withdraw"}, "user.trust_withdraw"),
        ("/moderation/users/ann/trust", {"trust": "automatic"}, "user.trust_automatic"),
    ]
    for n, (path, data, action) in enumerate(actions, start=1):
        assert mod_client.post(path, data=data).status_code == 303, path
        assert audit_count() == n and audit_count(action) == 1, action
        entry = _last_entry()
        assert entry.actor_id is not None and entry.before is not None and entry.after is not None
