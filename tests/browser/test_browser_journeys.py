"""End-to-end journeys through the UI, by clicks and typing in a real browser.

1. A visitor registers, comments (held for review), a moderator approves it in the queue, and an
   anonymous reader then sees it.
2. The invitation cycle: a moderator invites an expert to a slot, the expert accepts from the
   e-mail, writes, previews and submits the part, the moderator schedules it, "coming soon" and
   the part's own page show the expert but not the text, and once the date has passed it is live.
4. A guest comments; a moderator rejects it with a reason, which reaches the guest by e-mail.
3. A pair space: a proposal, its acceptance, the confidentiality agreement accepted by both, a
   message read by the other member; an anonymous reader sees the pair but never the space.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import ARTIFACTS, release_database
from sqlalchemy import select

pytestmark = pytest.mark.browser

PASSPHRASE = "violet harbour lantern quietly 7"


def unfiltered(stmt, owner="core"):
    """The test reads pending and scheduled content the visibility policy hides from readers."""
    from forum.extensions import db
    from forum.visibility import bypass

    return db.session.execute(stmt.execution_options(**bypass(owner, "journey test check")))


def flash(page):
    return page.locator(".flashes")


# --- 1. register, comment, moderate ---------------------------------------------------------


def test_new_member_comment_is_held_then_approved(world, open_page, check_page):
    from forum.accounts.models import User
    from forum.discussion.models import Comment
    from forum.extensions import db

    slug = world.characteristic.slug
    text = "Our first agreement fitted on an index card, and we both signed it."

    visitor = open_page()
    visitor.goto("/register")
    visitor.get_by_label("Username").fill("newcomer")
    visitor.get_by_label("E-mail").fill("newcomer@example.org")
    visitor.get_by_label("Password", exact=True).fill(PASSPHRASE)
    visitor.get_by_label("Repeat password").fill(PASSPHRASE)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Create account").click()
    assert "Your account is ready" in flash(visitor).inner_text()

    visitor.goto(f"/c/{slug}")
    visitor.locator("textarea[name=body]").fill(text)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Post comment").click()
    assert "waiting for a moderator's approval" in flash(visitor).inner_text()
    check_page(visitor, "journey-comment-held-for-review")

    release_database()
    user = db.session.execute(select(User).where(User.username == "newcomer")).scalar_one()
    comment = unfiltered(select(Comment).where(Comment.author_id == user.id)).scalar_one()
    assert comment.status == "pending" and comment.body_source == text
    comment_id = comment.id
    release_database()

    reader = open_page()
    reader.goto(f"/c/{slug}")
    assert reader.locator(".comment-body", has_text="index card").count() == 0
    assert "index card" not in reader.content()

    moderator = open_page(user=world.moderator)
    moderator.goto("/moderation/queue")
    item = moderator.locator(".queue-item", has_text="index card")
    assert "Comment by" in item.inner_text()
    with moderator.expect_navigation():
        item.get_by_role("button", name="Approve", exact=True).click()
    assert "1 item approved" in flash(moderator).inner_text()
    assert moderator.locator(".queue-item", has_text="index card").count() == 0
    check_page(moderator, "journey-comment-approved-queue")

    release_database()
    db.session.expire_all()
    assert db.session.get(Comment, comment_id).status == "approved"
    release_database()

    reader.reload()
    assert reader.locator(".comment-body", has_text="index card").count() == 1
    check_page(reader, "journey-comment-visible-to-anonymous")


def test_guest_comment_rejected_and_the_guest_mail_holds_the_reason(world, open_page, check_page):
    """A guest comments from the thread (clicking "Comment as a guest"), a moderator rejects it
    in the queue with a reason, and the outbox holds a message to the guest with that reason."""
    import time

    from forum.extensions import db
    from forum.notifications.models import OutboxMail

    slug = world.characteristic.slug
    reason = "Please keep names of real colleagues out of public comments (quartz-reason)."

    guest = open_page()
    guest.goto("/")
    with guest.expect_navigation():
        guest.locator("main a", has_text=world.characteristic.title).first.click()
    assert guest.url.endswith(f"/c/{slug}")
    with guest.expect_navigation():
        guest.get_by_role("link", name="Comment as a guest").click()
    guest.get_by_label("Display name").fill("Visiting Val")
    guest.get_by_label("E-mail (never shown)").fill("val@example.org")
    guest.locator("textarea[name=body]").fill("My manager Jo Bloggs told me trust is earned.")
    time.sleep(3.2)  # the guest form refuses what a bot sends at once (GUEST_MIN_FILL_SECONDS)
    with guest.expect_navigation():
        guest.get_by_role("button", name="Post comment").click()
    assert "moderator" in flash(guest).inner_text()

    moderator = open_page(user=world.moderator)
    moderator.goto("/")
    with moderator.expect_navigation():
        moderator.get_by_role("link", name=re.compile("^Review")).first.click()
    item = moderator.locator(".queue-item", has_text="Jo Bloggs")
    item.locator("textarea").fill(reason)
    with moderator.expect_navigation():
        item.get_by_role("button", name="Reject", exact=True).click()
    assert "rejected" in flash(moderator).inner_text()
    check_page(moderator, "journey-guest-comment-rejected")

    release_database()
    mails = (
        db.session.execute(select(OutboxMail).where(OutboxMail.to == "val@example.org"))
        .scalars()
        .all()
    )
    release_database()
    assert len(mails) == 1 and "quartz-reason" in mails[0].body
    assert "not published" in mails[0].subject
    assert "Jo Bloggs" not in guest.goto(f"/c/{slug}").text()


# --- 2. invitation, authoring, scheduling, publication ----------------------------------------


def test_invitation_to_scheduled_then_live_part(world, open_page, check_page):
    from forum.accounts.models import User
    from forum.db import utcnow
    from forum.extensions import db
    from forum.series.models import Invitation, Part

    slot = world.second  # "2) Trust": no parts yet
    title = "Trust is built in small deposits"
    body = "Trust grows when **promises** are kept, one small promise at a time: zephyr-marker."
    planned = (utcnow() + timedelta(days=20)).strftime("%Y-%m-%dT10:00")
    publish = (utcnow() + timedelta(days=10)).replace(second=0, microsecond=0)

    moderator = open_page(user=world.moderator)
    moderator.goto("/invitations/new")
    moderator.get_by_label("E-mail of the invitee").fill("ines@example.org")
    moderator.get_by_label("Role").select_option("expert")
    moderator.get_by_label("Slot: characteristic (optional)").select_option(
        label=f"{slot.number}) {slot.title}"
    )
    moderator.get_by_label("Slot: part number").fill("1")
    moderator.get_by_label("Slot: planned date").fill(planned)
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Create invitation").click()
    assert moderator.get_by_role("heading", name="Invitation created").is_visible()
    link = moderator.get_by_label("Invitation link").input_value()
    assert re.search(r"/invite/[\w-]{20,}$", link), link
    check_page(moderator, "journey-invitation-created")

    release_database()  # end the snapshot the attribute reads above began
    invitation = db.session.execute(
        select(Invitation).where(Invitation.email == "ines@example.org")
    ).scalar_one()
    assert (invitation.characteristic_id, invitation.part_number) == (slot.id, 1)
    assert invitation.used_at is None
    from forum.notifications.models import OutboxMail

    mail = db.session.execute(
        select(OutboxMail).where(OutboxMail.to == "ines@example.org")
    ).scalar_one()
    [mailed] = re.findall(r"https?://\S+/invite/[\w-]{20,}", mail.body)
    release_database()
    assert mailed.endswith(link.rsplit("/", 1)[1])  # the page's link is the e-mail's

    expert = open_page()  # a fresh context, nobody logged in: the invitee has only the e-mail
    expert.goto(re.sub(r"^https?://[^/]+", "", mailed))
    expert.get_by_label("Username").fill("ines")
    expert.get_by_label("Password").fill(PASSPHRASE)
    expert.get_by_label("Name as readers see it").fill("Ines Okafor")
    expert.get_by_label("Organisation").fill("Lakeside Mentoring Circle")
    expert.get_by_label("Country").fill("Ireland")
    expert.get_by_label("Website").fill("https://example.org/ines")
    expert.get_by_label("Short bio (Markdown)").fill("A fictional mentor of *new* managers.")
    with expert.expect_navigation():
        expert.get_by_role("button", name="Create my account").click()
    assert expert.url.endswith("/parts")
    assert "expert profile are ready" in flash(expert).inner_text()

    with expert.expect_navigation():
        expert.locator("table.data-table tr", has_text=slot.title).get_by_role(
            "link", name="Edit"
        ).click()
    expert.get_by_label("Title").fill(title)
    expert.get_by_label("Teaser (shown in “coming soon”)").fill(
        "Why trust is a habit, not a feeling."
    )
    expert.locator("textarea[name=body]").fill(body)
    with expert.expect_navigation():
        expert.get_by_role("button", name="Preview").click()
    preview = expert.locator("section[aria-labelledby=preview-heading]")  # the server's preview
    assert preview.locator("strong", has_text="promises").count() == 1
    assert (
        expert.locator("textarea[name=body]").input_value() == body
    )  # the text survived the preview
    # The server's preview and the live one must be distinct landmarks (axe landmark-unique).
    check_page(expert, "journey-part-preview")
    with expert.expect_navigation():
        expert.get_by_role("button", name="Submit for review").click()
    assert "Submitted" in flash(expert).inner_text()

    release_database()
    db.session.expire_all()
    ines = db.session.execute(select(User).where(User.username == "ines")).scalar_one()
    part = unfiltered(select(Part).where(Part.author_id == ines.id)).scalar_one()
    assert part.title == title and part.status == "submitted" and part.characteristic_id == slot.id
    assert db.session.get(Invitation, invitation.id).used_by_id == ines.id
    part_id = part.id
    release_database()

    moderator.goto("/moderation/queue")
    item = moderator.locator(".queue-item", has_text=f"Expert part: {title}")
    item.locator("input[type=datetime-local]").fill(publish.strftime("%Y-%m-%dT%H:%M"))
    with moderator.expect_navigation():
        item.get_by_role("button", name="Approve", exact=True).click()
    assert "1 item approved" in flash(moderator).inner_text()

    release_database()
    db.session.expire_all()
    part = db.session.get(Part, part_id)
    assert part.status == "approved"
    assert part.publish_at.replace(tzinfo=None) == publish.replace(tzinfo=None)
    release_database()

    reader = open_page()
    reader.goto("/coming-soon")
    soon = reader.locator(".coming-soon")
    assert "Ines Okafor" in soon.inner_text() and title in soon.inner_text()
    assert "zephyr-marker" not in reader.content()
    check_page(reader, "journey-coming-soon-expert")
    reader.goto(f"/c/{slot.slug}")
    assert "zephyr-marker" not in reader.content()
    # not yet published: its URL shows the "coming soon" page, with the expert but not the text
    assert reader.goto(f"/c/{slot.slug}/part/1").status == 200
    assert "Coming soon" in reader.locator("main").inner_text()
    assert "Ines Okafor" in reader.content() and "zephyr-marker" not in reader.content()
    check_page(reader, "journey-scheduled-part-page")

    # Time passes: the publish date is now behind us.
    db.session.get(Part, part_id).publish_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    release_database()

    reader.goto(f"/c/{slot.slug}")
    article = reader.locator("article.part-article", has_text=title)
    assert article.locator(".part-body strong", has_text="promises").count() == 1
    assert "Ines Okafor" in article.inner_text()
    check_page(reader, "journey-part-live-on-thread")
    assert reader.goto(f"/c/{slot.slug}/part/1").status == 200
    assert "zephyr-marker" in reader.content()
    reader.goto("/coming-soon")
    assert title not in reader.locator(".coming-soon").inner_text()


# --- 3. pair space ----------------------------------------------------------------------------


def test_pair_space_from_proposal_to_private_message(app, make_user, open_page, check_page):
    if "pair_spaces.space" not in app.view_functions:
        pytest.skip("the pair_spaces plugin is not installed")
    from forum_pair_spaces.models import Pair

    mentor = make_user("marta", display_name="Marta Quill")
    mentee = make_user("jonas", display_name="Jonas Reed")
    secret = "Between us: I am thinking of leaving my team (kestrel-marker)."
    release_database()

    a = open_page(user=mentor)
    a.goto("/p/pair_spaces/pairs")
    with a.expect_navigation():
        a.get_by_role("link", name="My pairs and proposals").click()
    a.get_by_label("Username of the other member").fill("jonas")
    a.get_by_label("Mentor (I invite a mentee)").check()
    with a.expect_navigation():
        a.get_by_role("button", name="Send").click()
    assert "Proposal sent" in flash(a).inner_text()
    assert "waiting for Jonas Reed to accept" in a.locator(".pair-list").inner_text()

    b = open_page(user=mentee)
    b.goto("/p/pair_spaces/mine")
    with b.expect_navigation():
        b.locator(".pair-list li", has_text="Marta Quill").get_by_role(
            "button", name="Accept"
        ).click()
    assert "The pair is formed" in flash(b).inner_text()
    with b.expect_navigation():
        b.get_by_role("button", name=re.compile(r"^I accept version \d+$")).click()
    assert "You accepted this version" in b.content()

    a.goto("/p/pair_spaces/mine")
    with a.expect_navigation():
        a.get_by_role("link", name="Open the space").click()
    assert "/agreement" in a.url  # the space stays closed until both accept
    with a.expect_navigation():
        a.get_by_role("button", name=re.compile(r"^I accept version \d+$")).click()
    assert a.get_by_role("heading", name=re.compile(r"^In force: version \d+$")).is_visible()
    check_page(a, "journey-pair-agreement-in-force")

    release_database()
    pair = unfiltered(select(Pair).where(Pair.mentor_id == mentor.id), "pair_spaces").scalar_one()
    assert pair.status == "active" and pair.mentee_id == mentee.id
    pair_id = pair.id
    release_database()

    a.goto(f"/p/pair_spaces/{pair_id}")
    a.get_by_label("Message (Markdown)").fill(secret)
    with a.expect_navigation():
        a.get_by_role("button", name="Send", exact=True).click()
    assert "kestrel-marker" in a.content()

    b.goto("/p/pair_spaces/mine")
    with b.expect_navigation():
        b.get_by_role("link", name="Open the space").click()
    assert b.url.endswith(f"/p/pair_spaces/{pair_id}")
    assert b.get_by_text("kestrel-marker").count() >= 1
    check_page(b, "journey-pair-space-message-received")

    reader = open_page()
    reader.goto("/p/pair_spaces/pairs")
    row = reader.locator("table.pair-directory tr", has_text="Marta Quill")
    assert "Jonas Reed" in row.inner_text() and "Active" in row.inner_text()
    check_page(reader, "journey-pair-public-directory")
    response = reader.goto(f"/p/pair_spaces/{pair_id}")
    assert response.status == 404 or "/login" in reader.url, (response.status, reader.url)
    assert "kestrel-marker" not in reader.content()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    reader.screenshot(path=str(ARTIFACTS / "journey-pair-space-anonymous.png"))
    assert all("404" in e for e in reader.probe.take_errors())  # the closed space's 404 only
