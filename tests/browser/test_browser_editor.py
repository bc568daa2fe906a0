"""Writing a comment in a real browser: the live preview comes from the server's own pipeline,
the draft survives a reload, and it is gone once the comment is sent."""

import pytest
from conftest import PHONE

pytestmark = pytest.mark.browser

TEXT = "**Agreed** on the *one-page* agreement.\n\n- named exceptions\n    - duty of care\n"


def _thread(page, world):
    response = page.goto(f"/c/{world.characteristic.slug}")
    assert response.status == 200
    return page.locator("textarea[data-editor]")


def _draft_keys(page):
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('forum-draft:'))")


def test_preview_draft_and_submit(world, open_page, check_page):
    page = open_page(user=world.member)
    editor = _thread(page, world)
    editor.click()
    page.keyboard.type(TEXT)
    # The editor emits Markdown help and a preview rendered by POST /preview.
    preview = page.locator(".editor-preview-body")
    preview.locator("strong", has_text="Agreed").wait_for()
    assert preview.locator("em", has_text="one-page").count() == 1
    assert preview.locator("ul ul li", has_text="duty of care").count() == 1
    assert page.locator("details.editor-help summary").first.inner_text() == "Formatting help"
    check_page(page, "editor-preview-1280-light")

    # A reload loses nothing.
    page.reload()
    editor = page.locator("textarea[data-editor]")
    assert editor.input_value() == TEXT
    assert "Restored your unsent draft" in page.locator(".editor-status").inner_text()
    preview.locator("strong", has_text="Agreed").wait_for()

    # Sending clears the draft; the comment is on the page.
    with page.expect_navigation():
        page.get_by_role("button", name="Post comment").click()
    assert page.locator(".comment-body strong", has_text="Agreed").count() >= 1
    assert _draft_keys(page) == []
    # Comment dates are relative, with the exact time on hover.
    stamp = page.locator(".comment-meta time[data-relative]").last
    assert stamp.inner_text() in ("just now", "now") or "ago" in stamp.inner_text()
    assert stamp.get_attribute("title") and stamp.get_attribute("datetime")
    page.goto(f"/c/{world.characteristic.slug}")
    assert page.locator("textarea[data-editor]").input_value() == ""


def test_preview_never_runs_script(world, open_page):
    page = open_page(user=world.member, width=PHONE)
    editor = _thread(page, world)
    page.evaluate("window.__pwned = false")
    editor.fill(
        '<img src="/static/img/favicon.svg" onerror="window.__pwned=true" onload="window.__pwned=true">'
        "<script>window.__pwned = true</script>[x](javascript:window.__pwned=true) safe text"
    )
    preview = page.locator(".editor-preview-body")
    preview.get_by_text("safe text").wait_for()
    html = preview.inner_html()
    assert "onerror" not in html and "onload" not in html and "<script" not in html
    assert "javascript:" not in html
    assert page.evaluate("window.__pwned") is False


def test_discarding_a_restored_draft(world, open_page):
    page = open_page(user=world.member)
    editor = _thread(page, world)
    editor.fill("A thought I will not send.")
    page.reload()
    assert page.locator("textarea[data-editor]").input_value() == "A thought I will not send."
    page.get_by_role("button", name="Discard it").click()
    assert page.locator("textarea[data-editor]").input_value() == ""
    assert _draft_keys(page) == []
    page.reload()
    assert page.locator("textarea[data-editor]").input_value() == ""


def test_preview_shows_a_server_error_inline(world, open_page, app):
    app.config["MAX_MARKDOWN_CHARS"] = 50
    page = open_page(user=world.member)
    editor = _thread(page, world)
    editor.fill("x" * 60)
    error = page.locator(".editor-preview .error")
    error.wait_for()
    assert "too long" in error.inner_text()
    # Chromium logs the 422 of the preview request; that one is the point of this test.
    assert all("422" in e for e in page.probe.take_errors())
