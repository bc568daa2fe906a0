"""Admins grant and revoke roles on a member's page: with a reason, audited, the member told."""

import re

import pytest
from sqlalchemy import select

from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.notifications.models import Notification, OutboxMail


@pytest.fixture
def app_config():
    """Mail is on (notices are queued for e-mail); nothing is sent in these tests."""
    return {"MAIL_URL": "smtp://127.0.0.1:9"}


@pytest.fixture
def admin(make_user):
    return make_user("boss", roles=("member", "moderator", "admin"))


@pytest.fixture
def member(make_user):
    return make_user("ana", display_name="Ana Lima", email="ana@example.org")


def _roles(username):
    from forum.accounts.models import User

    db.session.expire_all()
    user = db.session.execute(select(User).where(User.username == username)).scalar_one()
    return user.role_names


def test_admin_reaches_the_member_from_admin_and_grants_expert(client, login_as, admin, member):
    login_as(client, admin)
    assert 'href="/admin/"' in client.get("/").get_data(as_text=True)
    assert 'href="/moderation/members"' in client.get("/admin/").get_data(as_text=True)
    listing = client.get("/moderation/members?q=lima").get_data(as_text=True)
    assert 'href="/moderation/users/ana"' in listing
    assert 'href="/moderation/users/boss"' not in listing
    page = client.get("/moderation/users/ana").get_data(as_text=True)
    assert 'action="/moderation/users/ana/roles"' in page

    response = client.post(
        "/moderation/users/ana/roles",
        data={
            "roles-role": "expert",
            "roles-change": "grant",
            "roles-reason": "Writes part 3 of Trust",
        },
    )
    assert response.status_code == 303
    assert "expert" in _roles("ana")
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "role.grant")
    ).scalar_one()
    assert (entry.actor_id, entry.target_type, entry.target_id) == (admin.id, "user", member.id)
    assert entry.reason == "Writes part 3 of Trust" and "expert" in entry.after["roles"]
    note = db.session.execute(
        select(Notification).where(Notification.user_id == member.id)
    ).scalar_one()
    assert note.kind == "role_changed"
    assert "gave you the expert role" in note.text and "Writes part 3 of Trust" in note.text
    mail = db.session.execute(
        select(OutboxMail).where(OutboxMail.to == "ana@example.org")
    ).scalar_one()
    assert "gave you the expert role" in mail.subject and mail.kind == "role_changed"
    # the history of the member's page shows it too
    assert "Writes part 3 of Trust" in client.get("/moderation/users/ana").get_data(as_text=True)


def test_revoke_is_audited_and_told(client, login_as, admin, member):
    login_as(client, admin)
    client.post(
        "/moderation/users/ana/roles",
        data={"roles-role": "moderator", "roles-change": "grant", "roles-reason": "joins the team"},
    )
    client.post(
        "/moderation/users/ana/roles",
        data={"roles-role": "moderator", "roles-change": "revoke", "roles-reason": "left the team"},
    )
    assert "moderator" not in _roles("ana")
    actions = db.session.execute(
        select(AuditEntry.action, AuditEntry.reason).order_by(AuditEntry.id)
    ).all()
    assert [tuple(a) for a in actions] == [
        ("role.grant", "joins the team"),
        ("role.revoke", "left the team"),
    ]
    texts = (
        db.session.execute(select(Notification.text).where(Notification.user_id == member.id))
        .scalars()
        .all()
    )
    assert any("removed your moderator role" in t and "left the team" in t for t in texts)


def test_missing_reason_shows_beside_the_field_and_keeps_the_input(client, login_as, admin, member):
    login_as(client, admin)
    response = client.post(
        "/moderation/users/ana/roles",
        data={"roles-role": "supervisor", "roles-change": "grant", "roles-reason": "   "},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    reason_field = page[page.index('id="roles-reason"') :]
    assert "Give a reason" in reason_field[: reason_field.index("</div>") + 400]
    assert re.search(
        r'<option selected value="supervisor">|<option value="supervisor" selected', page
    )
    assert "supervisor" not in _roles("ana")
    assert db.session.execute(select(AuditEntry)).first() is None


def test_unknown_role_is_a_422_not_a_500(client, login_as, admin, member):
    login_as(client, admin)
    response = client.post(
        "/moderation/users/ana/roles",
        data={"roles-role": "admin", "roles-change": "grant", "roles-reason": "x"},
    )
    assert response.status_code == 422 and "admin" not in _roles("ana")


def test_moderators_may_not_change_roles(client, login_as, make_user, member):
    login_as(client, make_user("mod", roles=("member", "moderator")))
    page = client.get("/moderation/users/ana").get_data(as_text=True)
    assert "/moderation/users/ana/roles" not in page
    response = client.post(
        "/moderation/users/ana/roles",
        data={"roles-role": "moderator", "roles-change": "grant", "roles-reason": "promote me"},
    )
    assert response.status_code == 403 and "moderator" not in _roles("ana")
