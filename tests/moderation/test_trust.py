"""Trust: comments go live without review after N approved comments and no rejection."""

from sqlalchemy import select

from forum.accounts import trust
from forum.discussion.models import Comment
from forum.extensions import db
from forum.visibility import as_actor


def _post(client, thread, body):
    return client.post(f"/c/{thread.slug}/comments", data={"body": body})


def _status(body, moderator):
    with as_actor(moderator):
        return db.session.execute(
            select(Comment.status).where(Comment.body_source == body)
        ).scalar_one()


def _approve_all(mod_client, moderator, action="approve", reason=""):
    with as_actor(moderator):
        ids = (
            db.session.execute(select(Comment.id).where(Comment.status == "pending"))
            .scalars()
            .all()
        )
    mod_client.post(
        "/moderation/queue",
        data={"item": [f"comment:{i}" for i in ids], "action": action, "reason": reason},
    )


def test_member_is_trusted_after_three_approved_comments(
    app, login_as, mod_client, moderator, member, make_characteristic
):
    thread = make_characteristic()
    writer = login_as(app.test_client(), member)
    for n in range(3):
        _post(writer, thread, f"early {n}")
        assert _status(f"early {n}", moderator) == "pending"
        _approve_all(mod_client, moderator)
    db.session.refresh(member)
    assert member.approved_comment_count == 3 and trust.is_trusted(member)
    _post(writer, thread, "now trusted")
    assert _status("now trusted", moderator) == "approved"


def test_a_rejection_keeps_review_on(
    app, login_as, mod_client, moderator, member, make_characteristic
):
    thread = make_characteristic()
    writer = login_as(app.test_client(), member)
    _post(writer, thread, "off topic")
    _approve_all(mod_client, moderator, "reject", "Off topic")
    for n in range(3):
        _post(writer, thread, f"fine {n}")
        _approve_all(mod_client, moderator)
    db.session.refresh(member)
    assert member.rejected_comment_count == 1 and not trust.is_trusted(member)
    _post(writer, thread, "still reviewed")
    assert _status("still reviewed", moderator) == "pending"


def test_threshold_is_a_setting(app, member):
    from forum.kernel.settings import set_setting

    assert not trust.is_trusted(member)
    set_setting("moderation.trust_threshold", 0)
    db.session.commit()
    assert trust.is_trusted(member)


def test_moderator_grants_and_withdraws_trust_by_hand(
    app, login_as, mod_client, moderator, member, make_characteristic, audit_count
):
    thread = make_characteristic()
    writer = login_as(app.test_client(), member)
    assert (
        mod_client.post(
            "/moderation/users/ann/trust", data={"trust": "grant", "reason": "Known"}
        ).status_code
        == 303
    )
    _post(writer, thread, "granted")
    assert _status("granted", moderator) == "approved"
    assert (
        mod_client.post("/moderation/users/ann/trust", data={"trust": "withdraw"}).status_code
        == 303
    )
    _post(writer, thread, "withdrawn")
    assert _status("withdrawn", moderator) == "pending"
    assert (
        mod_client.post("/moderation/users/ann/trust", data={"trust": "withdraw"}).status_code
        == 409
    )
    assert (
        mod_client.post("/moderation/users/ann/trust", data={"trust": "automatic"}).status_code
        == 303
    )
    db.session.refresh(member)
    assert member.trusted_override is None
    assert (
        mod_client.post("/moderation/users/ann/trust", data={"trust": "forever"}).status_code == 422
    )
    assert audit_count() == 3


def test_guests_always_wait(client, moderator, make_characteristic):
    from forum.content.antiabuse import started_token

    thread = make_characteristic()
    with client.application.test_request_context():
        token = started_token()
    client.application.config["GUEST_MIN_FILL_SECONDS"] = 0
    response = client.post(
        f"/c/{thread.slug}/comments",
        data={
            "body": "guest words",
            "guest_name": "Visitor",
            "guest_email": "v@example.org",
            "started": token,
        },
    )
    assert response.status_code == 302
    assert _status("guest words", moderator) == "pending"
