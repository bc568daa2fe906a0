"""Staff journeys by clicks from the home page (issue 18): an admin grants a role through the
pages, and an expert invited by e-mail accepts with the link the e-mail holds."""

from __future__ import annotations

import re

import pytest
from conftest import axe_violations, release_database
from sqlalchemy import select

pytestmark = pytest.mark.browser

PASSPHRASE = "amber lighthouse quietly 42 moss"


def test_admin_grants_expert_from_the_home_page(world, open_page, make_user):
    from forum.accounts.models import User
    from forum.audit.models import AuditEntry
    from forum.extensions import db
    from forum.notifications.models import Notification

    make_user("chief", roles=("member", "admin"), password=PASSPHRASE)
    release_database()

    page = open_page()
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username or e-mail").fill("chief")
    page.get_by_label("Password").fill(PASSPHRASE)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Members and roles").click()
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="Rowan Ash").click()
    roles = page.locator("section[aria-labelledby=roles-heading]")
    roles.get_by_label("Role").select_option("expert")
    roles.get_by_label("Change").select_option("grant")
    # (an empty reason is refused: by the browser here, with a 422 by the server in
    # tests/moderation/test_member_roles.py)
    roles.get_by_label("Reason (the member reads it)").fill("Writes part 2 of Trust")
    with page.expect_navigation():
        roles.get_by_role("button", name="Change the role").click()
    assert "rowan now has the expert role" in page.locator(".flashes").inner_text()
    assert axe_violations(page) == []

    release_database()
    db.session.expire_all()
    rowan = db.session.execute(select(User).where(User.username == "rowan")).scalar_one()
    assert "expert" in rowan.role_names
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "role.grant")
    ).scalar_one()
    assert entry.target_id == rowan.id and entry.reason == "Writes part 2 of Trust"
    notes = db.session.execute(
        select(Notification.text).where(Notification.user_id == rowan.id)
    ).scalars()
    assert any("gave you the expert role" in text for text in notes)
    release_database()


def test_expert_invited_by_email_accepts(world, open_page):
    from forum.extensions import db
    from forum.notifications.models import OutboxMail

    slot = world.second  # "2) Trust": nothing planned yet
    moderator = open_page(user=world.moderator)
    moderator.goto("/")
    with moderator.expect_navigation():
        moderator.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    with moderator.expect_navigation():
        moderator.get_by_role("link", name="Publishing calendar").click()
    section = moderator.locator(f"section[aria-labelledby=cal-{slot.id}]")
    with moderator.expect_navigation():
        section.get_by_role("link", name="Invite an expert for part 1").click()
    assert moderator.get_by_label("Slot: part number").input_value() == "1"
    moderator.get_by_label("E-mail of the invitee").fill("nadia@example.org")
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Create invitation").click()
    assert "on its way to" in moderator.locator("main").inner_text()

    release_database()
    mail = db.session.execute(
        select(OutboxMail).where(OutboxMail.to == "nadia@example.org")
    ).scalar_one()
    [link] = re.findall(r"https?://\S+/invite/[\w-]{20,}", mail.body)
    assert "Trust, part 1" in mail.body
    release_database()

    expert = open_page()  # the invitee, in another browser: only the e-mail's link
    expert.goto(re.sub(r"^https?://[^/]+", "", link))
    expert.get_by_label("Username").fill("nadia")
    expert.get_by_label("Password").fill(PASSPHRASE)
    expert.get_by_label("Name as readers see it").fill("Nadia Brook")
    with expert.expect_navigation():
        expert.get_by_role("button", name="Create my account").click()
    assert expert.url.endswith("/parts")
    assert "expert profile are ready" in expert.locator(".flashes").inner_text()
    assert expert.locator("table.data-table tr", has_text=slot.title).count() == 1
