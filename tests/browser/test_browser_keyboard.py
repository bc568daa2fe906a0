"""Keyboard only: skip link, visible focus, the comment form and the review queue, no mouse."""

import pytest

pytestmark = pytest.mark.browser

MAX_TABS = 80


def focused(page) -> dict:
    return page.evaluate("""() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
              text: (el.innerText || el.value || '').trim().slice(0, 80),
              outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
              shadow: style.boxShadow !== 'none'};
    }""")


def tab_to(page, predicate, what: str) -> dict:
    """Press Tab until ``predicate(focused)`` holds; every stop must show a focus indicator."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["outline"] or now["shadow"], f"no visible focus on {now}"
        if predicate(now):
            return now
    raise AssertionError(f"{what} is not reachable with Tab")


def test_skip_link_then_comment_form_by_keyboard(world, open_page, check_page):
    page = open_page(user=world.member)
    page.goto(f"/c/{world.characteristic.slug}")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "Skip to content" and first["outline"]
    assert page.locator(".skip-link").bounding_box()["x"] >= 0  # shown on focus
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    tab_to(page, lambda f: f["tag"] == "textarea" and f["name"] == "body", "the comment box")
    page.keyboard.type("Typed *without* a mouse.")
    page.locator(".editor-preview-body em", has_text="without").wait_for()
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Post comment", "the send button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".comment-body em", has_text="without").count() == 1
    check_page(page, "after-keyboard-comment-1280-light")


def test_ctrl_enter_sends_from_the_editor(world, open_page):
    page = open_page(user=world.member)
    page.goto(f"/c/{world.characteristic.slug}")
    tab_to(page, lambda f: f["tag"] == "textarea" and f["name"] == "body", "the comment box")
    page.keyboard.type("Sent with Control+Enter.")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert page.locator(".comment-body", has_text="Sent with Control+Enter.").count() == 1


def test_formatting_help_opens_with_the_keyboard(world, open_page):
    page = open_page(user=world.member)
    page.goto(f"/c/{world.characteristic.slug}")
    tab_to(page, lambda f: f["tag"] == "summary", "the formatting help")
    page.keyboard.press("Enter")
    assert page.locator("details.editor-help").get_attribute("open") is not None
    assert page.locator(".editor-help-body").is_visible()


def test_review_queue_by_keyboard(world, open_page, make_comment, app):
    from sqlalchemy import select

    from forum.audit.models import AuditEntry
    from forum.discussion.models import Comment
    from forum.extensions import db

    second = make_comment(
        characteristic=world.characteristic,
        author=None,
        guest_name="Lee (guest)",
        status="pending",
        body="A second guest comment, worth approving.",
    )
    rejected_id, approved_id = world.pending.id, second.id
    page = open_page(user=world.moderator)
    page.goto("/moderation/queue")

    tab_to(page, lambda f: f["name"] == f"reason-comment:{rejected_id}", "the reason box")
    page.keyboard.type("Please post questions about e-mail in the Q&A section.")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Reject", "Reject")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Focus starts again at the top of the page: work down to the other item's Approve button.
    page.locator("body").focus()
    approve = f"approve:comment:{approved_id}"
    tab_to(
        page,
        lambda f: f["tag"] == "button" and page.evaluate("document.activeElement.value") == approve,
        "Approve",
    )
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert page.locator(".queue-item").count() == 0

    db.session.expire_all()
    rejected, approved = db.session.get(Comment, rejected_id), db.session.get(Comment, approved_id)
    assert rejected.status == "rejected"
    assert rejected.rejection_reason == "Please post questions about e-mail in the Q&A section."
    assert approved.status == "approved"
    actions = db.session.execute(select(AuditEntry.action, AuditEntry.target_id)).all()
    assert {row.target_id for row in actions} >= {rejected_id, approved_id}
    db.session.commit()
