"""Invitations: shown once, stored hashed, expire, work once; a slot creates the expert's draft."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.db import utcnow
from forum.extensions import db
from forum.series.models import ExpertProfile, Invitation, Part
from forum.visibility import as_actor

ACCEPT = {
    "username": "newexpert",
    "password": "a long sturdy phrase",
    "display_name": "Nia Example",
    "affiliation": "Example Institute",
    "country": "Kenya",
    "website": "https://example.org/nia",
    "bio": "Mentors *engineers*.",
}


@pytest.fixture
def moderator(make_user):
    return make_user("mod", roles=("member", "moderator"))


def _invite(client, login_as, moderator, **extra):
    login_as(client, moderator)
    response = client.post(
        "/invitations/new",
        data={
            "email": "nia@example.org",
            "role": "expert",
            "expires_in_days": "7",
            "characteristic_id": "0",
            **extra,
        },
    )
    assert response.status_code == 200, response.data
    link = re.search(r'value="(https?://[^"]+/invite/[^"]+)"', response.data.decode()).group(1)
    client.post("/logout")
    return link.split("/invite/")[1]


def test_only_staff_can_invite(client, make_user, login_as):
    assert client.get("/invitations/new").status_code == 302
    login_as(client, make_user("member"))
    assert client.get("/invitations/new").status_code == 403


def test_invitation_accepted_once(client, moderator, login_as):
    token = _invite(client, login_as, moderator)
    invitation = db.session.execute(select(Invitation)).scalar_one()
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert client.get(f"/invite/{token}").status_code == 200
    response = client.post(f"/invite/{token}", data=ACCEPT)
    assert response.status_code == 302
    user = db.session.execute(select(User).where(User.username == "newexpert")).scalar_one()
    assert user.has_role("expert") and user.email == "nia@example.org"
    profile = db.session.get(ExpertProfile, user.id)
    assert profile.affiliation == "Example Institute" and "<em>engineers</em>" in profile.bio_html
    client.post("/logout")
    assert client.get(f"/invite/{token}").status_code == 410
    again = client.post(f"/invite/{token}", data={**ACCEPT, "username": "second"})
    assert again.status_code == 410
    assert db.session.execute(select(User).where(User.username == "second")).first() is None


def test_expired_and_unknown_invitations_refused(client, moderator, login_as):
    token = _invite(client, login_as, moderator)
    invitation = db.session.execute(select(Invitation)).scalar_one()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/invite/{token}").status_code == 410
    assert client.post(f"/invite/{token}", data=ACCEPT).status_code == 410
    assert client.get("/invite/not-a-real-token").status_code == 404


def test_slot_invitation_creates_draft_on_the_calendar(
    client, moderator, login_as, make_characteristic
):
    trust = make_characteristic(slug="trust", title="Trust")
    token = _invite(
        client,
        login_as,
        moderator,
        characteristic_id=str(trust.id),
        part_number="3",
        planned_date="2030-02-21T09:00",
    )
    login_as(client, moderator)
    calendar = client.get("/moderation/calendar").data.decode()
    assert "invited" in calendar and "nia@example.org" in calendar
    client.post("/logout")
    assert client.post(f"/invite/{token}", data=ACCEPT).status_code == 302
    with as_actor(moderator):
        part = db.session.execute(select(Part)).scalar_one()
    assert part.status == "draft" and part.part_number == 3 and part.characteristic_id == trust.id
    assert part.publish_at.year == 2030
    login_as(client, moderator)
    calendar = client.get("/moderation/calendar").data.decode()
    assert "Nia Example" in calendar and "planned" in calendar
    client.post("/logout")
    assert client.get("/c/trust/part/3").status_code == 404  # a draft is not public
