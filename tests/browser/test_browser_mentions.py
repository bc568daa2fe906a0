"""A member's journey through mentions: register from the home page, comment, be mentioned by
another member (who picks the name from the @ suggestions), find the e-mail in the outbox, and
jump to the first unread comment."""

from __future__ import annotations

import re

import pytest
from conftest import release_database
from sqlalchemy import select

pytestmark = pytest.mark.browser

PASSPHRASE = "violet harbour lantern quietly 7"


def _outbox_to(address: str) -> list:
    from forum.extensions import db
    from forum.notifications.models import OutboxMail

    release_database()
    mails = db.session.execute(select(OutboxMail).where(OutboxMail.to == address)).scalars().all()
    release_database()
    return mails


def test_member_is_mentioned_gets_mail_and_jumps_to_unread(world, make_user, open_page):
    slug = world.characteristic.slug
    mentioner = make_user("alice", display_name="Alice Moss", password="", trusted_override=True)

    visitor = open_page()
    visitor.goto("/")
    with visitor.expect_navigation():
        visitor.get_by_role("link", name="Join").click()
    visitor.get_by_label("Username").fill("newcomer")
    visitor.get_by_label("E-mail").fill("newcomer@example.org")
    visitor.get_by_label("Password", exact=True).fill(PASSPHRASE)
    visitor.get_by_label("Repeat password").fill(PASSPHRASE)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Create account").click()
    visitor.goto("/")
    with visitor.expect_navigation():
        visitor.get_by_role("link", name=re.compile(world.characteristic.title)).first.click()
    visitor.locator("#comment-form textarea[name=body]").fill("We keep our notes apart.")
    with visitor.expect_response(lambda r: r.url.endswith(f"/c/{slug}/read")):
        visitor.get_by_role("button", name="Post comment").click()  # then shown: read so far

    other = open_page(user=mentioner)
    other.goto(f"/c/{slug}")
    body = other.locator("#comment-form textarea[name=body]")
    body.click()
    body.press_sequentially("Welcome @newc", delay=20)
    suggestion = other.locator(".mention-suggestions [role=option]", has_text="@newcomer")
    suggestion.wait_for()
    body.press("Enter")
    assert body.input_value() == "Welcome @newcomer "
    body.press_sequentially("- glad you are here.")
    with other.expect_navigation():
        other.get_by_role("button", name="Post comment").click()
    mention_link = other.locator(".comment-body a[href='/u/newcomer']")
    assert mention_link.inner_text() == "@newcomer"

    mails = _outbox_to("newcomer@example.org")
    assert [m.subject for m in mails] == [
        "[Mentorship Forum] Alice Moss mentioned you in a comment on Confidentiality."
    ]
    comment_id = int(re.search(r"/comments/(\d+)", mails[0].body).group(1))
    assert "glad you are here" not in mails[0].body

    visitor.goto(f"/c/{slug}")
    jump = visitor.get_by_role("link", name=re.compile("Jump to first unread"))
    assert jump.locator(".badge").inner_text() == "1"
    with visitor.expect_response(lambda r: r.url.endswith(f"/c/{slug}/read")) as read:
        jump.click()  # the comment comes into view: members.js moves the read position
    assert read.value.status == 204
    assert visitor.url.endswith(f"#comment-{comment_id}")
    assert visitor.locator(f"#comment-{comment_id}").is_visible()
    visitor.reload()
    assert visitor.get_by_role("link", name=re.compile("Jump to first unread")).count() == 0


def test_quote_takes_the_selected_text_or_the_whole_comment(world, open_page):
    slug = world.characteristic.slug
    quoted = world.comments[0]
    reader = open_page(user=world.member)
    reader.goto(f"/c/{slug}")
    body = reader.locator(f"#comment-{quoted.id} .comment-body p").first
    body.evaluate(
        """(p) => { const range = document.createRange();
                    const text = p.firstChild;
                    range.setStart(text, 0); range.setEnd(text, 18);
                    const s = window.getSelection(); s.removeAllRanges(); s.addRange(range); }"""
    )
    reader.locator(f"a[data-quote='{quoted.id}']").click()
    textarea = reader.locator("#comment-form textarea[name=body]")
    assert textarea.input_value() == "> Rowan Ash wrote:\n>\n> We wrote our agree\n\n"
    assert reader.locator("#comment-form input[name=reply_to]").input_value() == str(quoted.id)
    assert f"/c/{slug}" in reader.url and "quote=" not in reader.url  # no page load

    reader.evaluate("window.getSelection().removeAllRanges()")
    textarea.fill("")
    with reader.expect_navigation():
        reader.locator(f"a[data-quote='{quoted.id}']").click()  # no selection: the link
    assert "quote=" in reader.url
    assert textarea.input_value().startswith("> Rowan Ash wrote:\n>\n> We wrote our agreement on")
