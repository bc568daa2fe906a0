"""The audit log: readable and filterable by admins, paginated, and append-only."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from forum.audit import log as audit
from forum.audit.log import AuditLogIsAppendOnly
from forum.audit.models import AuditEntry
from forum.db import utcnow
from forum.extensions import db


@pytest.fixture
def admin_client(client, login_as, admin):
    return login_as(client, admin)


def _entry(actor, action="comment.hide", target_type="comment", target_id=1, reason="", when=None):
    entry = audit.record(
        action, actor, target_type, target_id, reason, {"hidden_at": None}, {"hidden_at": utcnow()}
    )
    if when is not None:
        entry.created_at = when
    db.session.commit()
    return entry


def test_admin_reads_who_did_what_on_what_when_and_why(
    app, login_as, moderator, admin, make_comment, member
):
    comment = make_comment(author=member)
    login_as(app.test_client(), moderator).post(
        f"/moderation/content/comment/{comment.id}/hide", data={"reason": "Insulting"}
    )
    html = login_as(app.test_client(), admin).get("/admin/audit").get_data(as_text=True)
    assert "<td>mod</td>" in html and "comment.hide" in html and f"comment #{comment.id}" in html
    assert "Insulting" in html and "hidden_at" in html and "<time" in html


def test_filters(admin_client, moderator, admin):
    _entry(moderator, "comment.hide", reason="first")
    _entry(admin, "user.suspend", "user", 7, reason="second")
    _entry(
        moderator,
        "characteristic.lock",
        "characteristic",
        3,
        reason="old",
        when=utcnow() - timedelta(days=10),
    )

    def reasons(query):
        html = admin_client.get("/admin/audit" + query).get_data(as_text=True)
        return {r for r in ("first", "second", "old") if f"<td>{r}</td>" in html}

    assert reasons("") == {"first", "second", "old"}
    assert reasons("?actor=MOD") == {"first", "old"}
    assert reasons("?action=user.suspend") == {"second"}
    assert reasons("?target_type=characteristic") == {"old"}
    today = utcnow().date()
    assert reasons(f"?since={(today - timedelta(days=1)).isoformat()}") == {"first", "second"}
    assert reasons(f"?until={(today - timedelta(days=5)).isoformat()}") == {"old"}
    assert reasons("?actor=nobody") == set()


def test_bad_filters_are_400(admin_client):
    assert admin_client.get("/admin/audit?since=yesterday").status_code == 400
    assert admin_client.get("/admin/audit?page=abc").status_code == 400
    assert admin_client.get("/admin/audit?page=99").status_code == 404


def test_paginated(admin_client, moderator):
    for n in range(55):
        audit.record("comment.hide", moderator, "comment", n + 1, f"reason {n}")
    db.session.commit()
    first = admin_client.get("/admin/audit").get_data(as_text=True)
    second = admin_client.get("/admin/audit?page=2").get_data(as_text=True)
    assert "<td>reason 54</td>" in first and "<td>reason 4</td>" not in first
    assert "<td>reason 4</td>" in second and "<td>reason 54</td>" not in second
    assert "Page 2 of 2" in second


def test_entries_cannot_be_changed_or_deleted(app, moderator):
    entry = _entry(moderator)
    entry.reason = "rewritten history"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    entry = db.session.get(AuditEntry, entry.id)
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(update(AuditEntry).values(reason="x"))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(delete(AuditEntry))
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).reason == ""


def test_no_route_changes_the_log(app):
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_audit_entries_carry_no_content(mod_client, make_comment, member):
    comment = make_comment(author=member, body="A very private sentence")
    mod_client.post(
        f"/moderation/comments/{comment.id}/edit", data={"body": "Another private sentence"}
    )
    mod_client.post(f"/moderation/content/comment/{comment.id}/hide", data={"reason": "r"})
    for entry in db.session.execute(select(AuditEntry)).scalars():
        text = repr((entry.before, entry.after, entry.reason))
        assert "private sentence" not in text
