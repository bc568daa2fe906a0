"""The review queue: mixed items, filters, single and bulk decisions, edit then approve, the badge."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from forum.db import utcnow
from forum.discussion.models import Comment
from forum.extensions import db
from forum.moderation.models import Flag
from forum.series.models import Part, PartRevision
from forum.testing import sql_statements
from forum.visibility import as_actor


def _pending_revision(part, author):
    rev = PartRevision(
        part_id=part.id,
        number=2,
        title="Better title",
        body_source="New text",
        body_html="<p>New text</p>",
        author_id=author.id,
        status="pending",
    )
    db.session.add(rev)
    db.session.commit()
    return rev


def _flag(target_type, target_id, user, reason="spam"):
    db.session.add(
        Flag(target_type=target_type, target_id=target_id, user_id=user.id, reason=reason)
    )
    db.session.commit()


def test_queue_lists_every_kind_of_waiting_item(
    mod_client, make_part, make_comment, member, expert, make_user
):
    part = make_part(author=expert, status="submitted", publish_at=None, title="Waiting part")
    live = make_part(author=expert, title="Live part")
    _pending_revision(live, expert)
    make_comment(author=member, status="pending", body="Member waits")
    make_comment(status="pending", guest_name="Visitor", body="Guest waits")
    flagged = make_comment(author=make_user("bob"), body="Flag me")
    _flag("comment", flagged.id, member)
    make_comment(author=member, body="Already approved, not listed")

    page = mod_client.get("/moderation/queue").get_data(as_text=True)
    assert "Expert part: Waiting part" in page
    assert "Edit of the live part “Live part”" in page
    assert "Member waits" in page and "Guest waits" in page and "Visitor (guest)" in page
    assert "Flagged comment by bob" in page and "Flag me" in page
    assert "Already approved" not in page
    assert f'value="part:{part.id}"' in page and f'value="flagged:comment:{flagged.id}"' in page


def test_filter_by_kind_and_characteristic(mod_client, make_comment, make_characteristic, member):
    one, two = make_characteristic(title="Confidentiality"), make_characteristic(title="Trust")
    make_comment(characteristic=one, author=member, status="pending", body="About secrets")
    make_comment(characteristic=two, author=member, status="pending", body="About trust")
    page = mod_client.get(f"/moderation/queue?characteristic={one.id}").get_data(as_text=True)
    assert "About secrets" in page and "About trust" not in page
    page = mod_client.get("/moderation/queue?kind=part").get_data(as_text=True)
    assert "About secrets" not in page and "Nothing is waiting here." in page
    page = mod_client.get("/moderation/queue?kind=comment").get_data(as_text=True)
    assert "About secrets" in page and "About trust" in page


def test_bad_filters_are_4xx(mod_client):
    assert mod_client.get("/moderation/queue?kind=pair_message").status_code == 400
    assert mod_client.get("/moderation/queue?characteristic=abc").status_code == 400
    assert mod_client.get("/moderation/queue?characteristic=99999999999").status_code == 400
    assert mod_client.get("/moderation/queue?page=0").status_code == 404
    assert mod_client.get("/moderation/queue?page=2").status_code == 404
    assert mod_client.get("/moderation/queue?page=x").status_code == 400


def test_approve_a_comment_then_it_is_public(mod_client, make_comment, member, audit_count):
    comment = make_comment(author=member, status="pending")
    response = mod_client.post(
        "/moderation/queue", data={"decide": f"approve:comment:{comment.id}"}
    )
    assert response.status_code == 303
    db.session.refresh(comment)
    assert comment.status == "approved"
    assert audit_count("comment.approve") == 1 and audit_count() == 1


def test_reject_needs_a_reason_and_the_author_sees_it(
    mod_client, client, make_comment, member, login_as
):
    comment = make_comment(author=member, status="pending")
    response = mod_client.post("/moderation/queue", data={"decide": f"reject:comment:{comment.id}"})
    assert response.status_code == 422
    db.session.refresh(comment)
    assert comment.status == "pending"
    response = mod_client.post(
        "/moderation/queue",
        data={
            "decide": f"reject:comment:{comment.id}",
            f"reject-unused-{comment.id}": "",
            f"reason-comment:{comment.id}": "Please keep it on topic.",
        },
    )
    assert response.status_code == 303
    db.session.refresh(comment)
    assert comment.status == "rejected" and comment.rejection_reason == "Please keep it on topic."


def test_approve_a_part_with_a_publish_date(mod_client, make_part, expert, audit_count):
    part = make_part(author=expert, status="submitted", publish_at=None)
    when = (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
    response = mod_client.post(
        "/moderation/queue",
        data={
            "decide": f"approve:part:{part.id}",
            f"publish_at-part:{part.id}": when.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 303
    db.session.refresh(part)
    assert part.status == "approved" and part.publish_at == when
    assert audit_count("part.approve") == 1


def test_approve_a_part_defaults_to_now(mod_client, make_part, expert):
    part = make_part(author=expert, status="submitted", publish_at=None)
    mod_client.post("/moderation/queue", data={"decide": f"approve:part:{part.id}"})
    db.session.refresh(part)
    assert part.status == "approved" and abs(part.publish_at - utcnow()) < timedelta(minutes=1)


def test_a_bad_publish_date_is_422(mod_client, make_part, expert):
    part = make_part(author=expert, status="submitted", publish_at=None)
    response = mod_client.post(
        "/moderation/queue",
        data={"decide": f"approve:part:{part.id}", f"publish_at-part:{part.id}": "next tuesday"},
    )
    assert response.status_code == 422
    db.session.refresh(part)
    assert part.status == "submitted"


def test_reject_a_part_with_reason(mod_client, make_part, expert, client, login_as):
    part = make_part(author=expert, status="submitted", publish_at=None)
    mod_client.post(
        "/moderation/queue",
        data={"decide": f"reject:part:{part.id}", f"reason-part:{part.id}": "Needs sources."},
    )
    db.session.refresh(part)
    assert part.status == "rejected" and part.rejection_reason == "Needs sources."


def test_approve_and_reject_revisions(mod_client, make_part, expert, audit_count):
    live = make_part(author=expert, title="Old title")
    rev = _pending_revision(live, expert)
    mod_client.post("/moderation/queue", data={"decide": f"approve:revision:{rev.id}"})
    db.session.refresh(rev)
    db.session.refresh(live)
    assert rev.status == "approved" and live.title == "Better title"
    other = PartRevision(
        part_id=live.id,
        number=3,
        title="Worse",
        body_source="x",
        body_html="x",
        author_id=expert.id,
        status="pending",
    )
    db.session.add(other)
    db.session.commit()
    mod_client.post(
        "/moderation/queue",
        data={
            "decide": f"reject:revision:{other.id}",
            f"reason-revision:{other.id}": "Keep the old one.",
        },
    )
    db.session.refresh(other)
    assert other.status == "rejected" and live.title == "Better title"
    assert audit_count("part.revision.approve") == 1 and audit_count("part.revision.reject") == 1


def test_bulk_approve_a_mixed_selection(
    mod_client, make_part, make_comment, member, expert, audit_count
):
    comments = [make_comment(author=member, status="pending") for _ in range(3)]
    guest = make_comment(status="pending", guest_name="Visitor")
    part = make_part(author=expert, status="submitted", publish_at=None)
    keys = [f"comment:{c.id}" for c in comments + [guest]] + [f"part:{part.id}"]
    response = mod_client.post("/moderation/queue", data={"item": keys, "action": "approve"})
    assert response.status_code == 303
    statuses = db.session.execute(select(Comment.status)).scalars().all()
    assert statuses == ["approved"] * 4
    db.session.refresh(part)
    assert part.status == "approved"
    assert audit_count() == 5
    follow = mod_client.get("/moderation/queue").get_data(as_text=True)
    assert "5 items approved or kept." in follow and "Nothing is waiting here." in follow


def test_bulk_reject_needs_a_reason(mod_client, make_comment, member, moderator, audit_count):
    comments = [make_comment(author=member, status="pending") for _ in range(2)]
    keys = [f"comment:{c.id}" for c in comments]
    assert (
        mod_client.post("/moderation/queue", data={"item": keys, "action": "reject"}).status_code
        == 422
    )
    assert audit_count() == 0
    response = mod_client.post(
        "/moderation/queue", data={"item": keys, "action": "reject", "reason": "Spam"}
    )
    assert response.status_code == 303
    with as_actor(moderator):  # rejected comments are invisible to the (anonymous) test session
        assert db.session.execute(select(Comment.status)).scalars().all() == [
            "rejected",
            "rejected",
        ]
    assert audit_count("comment.reject") == 2


def test_bulk_skips_items_already_decided(mod_client, make_comment, member, audit_count):
    comment = make_comment(author=member, status="pending")
    mod_client.post(
        "/moderation/queue", data={"item": [f"comment:{comment.id}"], "action": "approve"}
    )
    response = mod_client.post(
        "/moderation/queue",
        data={"item": [f"comment:{comment.id}", "comment:999"], "action": "approve"},
    )
    assert response.status_code == 303
    assert audit_count() == 1
    assert "2 had already been decided" in mod_client.get("/moderation/queue").get_data(
        as_text=True
    )


def test_bad_decisions_are_4xx(mod_client, make_comment, member):
    comment = make_comment(author=member, status="pending")
    assert (
        mod_client.post(
            "/moderation/queue", data={"item": ["comment:abc"], "action": "approve"}
        ).status_code
        == 400
    )
    assert (
        mod_client.post(
            "/moderation/queue", data={"item": ["pair_message:1"], "action": "approve"}
        ).status_code
        == 400
    )
    assert (
        mod_client.post(
            "/moderation/queue", data={"item": ["comment:99999999999"], "action": "approve"}
        ).status_code
        == 400
    )
    assert (
        mod_client.post(
            "/moderation/queue", data={"item": [f"comment:{comment.id}"], "action": "nuke"}
        ).status_code
        == 400
    )
    assert (
        mod_client.post(
            "/moderation/queue", data={"item": ["comment:1"] * 201, "action": "approve"}
        ).status_code
        == 400
    )
    assert mod_client.post("/moderation/queue", data={"action": "approve"}).status_code == 303
    db.session.refresh(comment)
    assert comment.status == "pending"


def test_edit_then_approve_a_comment(mod_client, make_comment, member, audit_count):
    comment = make_comment(author=member, status="pending", body="Call me on 555-0100 about this.")
    page = mod_client.get(f"/moderation/comments/{comment.id}/edit")
    assert page.status_code == 200 and "555-0100" in page.get_data(as_text=True)
    assert "Saving publishes your edited text" in page.get_data(as_text=True)
    response = mod_client.post(
        f"/moderation/comments/{comment.id}/edit",
        data={"body": "Call me about *this*.", "reason": "removed a phone number"},
    )
    assert response.status_code == 303
    db.session.refresh(comment)
    assert comment.status == "approved" and "555" not in comment.body_source
    assert "<em>this</em>" in comment.body_html
    assert audit_count("comment.moderator_edit") == 1 and audit_count("comment.approve") == 1
    assert (
        mod_client.post(f"/moderation/comments/{comment.id}/edit", data={"body": "  "}).status_code
        == 422
    )


def test_edit_sanitises_the_markdown(mod_client, make_comment, member):
    comment = make_comment(author=member, status="pending")
    mod_client.post(
        f"/moderation/comments/{comment.id}/edit",
        data={"body": "<script>alert(1)</script> [x](javascript:alert(1))"},
    )
    db.session.refresh(comment)
    assert "<script" not in comment.body_html and "javascript:" not in comment.body_html


def test_header_badge_counts_waiting_items_for_moderators_only(
    app, client, login_as, make_comment, make_part, member, moderator, expert
):
    make_comment(author=member, status="pending")
    make_comment(status="pending", guest_name="Visitor")
    make_part(author=expert, status="submitted", publish_at=None)
    login_as(client, moderator)
    page = client.get("/").get_data(as_text=True)
    assert "Review queue" in page and '<span class="badge">3</span>' in page
    login_as(client, member)
    assert "Review queue" not in client.get("/").get_data(as_text=True)


def test_badge_is_one_query(app, make_comment, member, moderator):
    from forum.moderation.queue import waiting_count

    make_comment(author=member, status="pending")
    with sql_statements() as statements, as_actor(moderator):
        assert waiting_count() == 1
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_queue_page_needs_no_query_per_item(
    mod_client, make_comment, make_characteristic, member, make_user
):
    thread = make_characteristic()
    for i in range(5):
        make_comment(characteristic=thread, author=make_user(f"m{i}"), status="pending")
    with sql_statements() as statements:
        mod_client.get("/moderation/queue")
    few = len(statements)
    for i in range(5, 15):
        make_comment(characteristic=thread, author=make_user(f"m{i}"), status="pending")
    with sql_statements() as statements:
        mod_client.get("/moderation/queue")
    assert len(statements) == few


def test_publish_at_is_read_as_utc(mod_client, make_part, expert):
    part = make_part(author=expert, status="submitted", publish_at=None)
    mod_client.post(
        "/moderation/queue",
        data={
            "decide": f"approve:part:{part.id}",
            f"publish_at-part:{part.id}": "2030-01-02T03:04",
        },
    )
    db.session.refresh(part)
    assert part.publish_at == datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    assert db.session.get(Part, part.id).stage == "scheduled"
