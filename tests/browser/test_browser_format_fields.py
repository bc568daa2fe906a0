"""A format's own fields show only while that format is chosen (script on), and all show, each
labelled, without the script; the submit inputs look like the buttons beside them."""

import pytest

pytestmark = pytest.mark.browser


def _interview_box(page):
    return page.locator("fieldset.format-fields[data-format=interview]")


def test_interview_fields_follow_the_format_choice(world, open_page, check_page, app):
    if "qa.new_interview" not in app.view_functions:
        pytest.skip("the Q&A plugin (the interview format) is not installed")
    page = open_page(user=world.member)
    page.goto(f"/c/{world.characteristic.slug}")
    box = _interview_box(page)
    assert box.count() == 1 and box.is_hidden()  # Markdown is the default
    page.get_by_label("Format").select_option("interview")
    assert box.is_visible()
    assert page.get_by_label("Interviewer").is_visible()
    page.get_by_label("Format").select_option("markdown")
    assert box.is_hidden()
    check_page(page, "format-fields-markdown", rules=["color-contrast", "label"])

    guest = open_page()
    guest.goto(f"/c/{world.characteristic.slug}/comments/new")
    assert _interview_box(guest).is_hidden()
    guest.get_by_label("Format").select_option("interview")
    assert _interview_box(guest).is_visible()


def test_without_scripts_the_fields_show_and_say_what_they_are_for(
    world, browser, live_server, app
):
    if "qa.new_interview" not in app.view_functions:
        pytest.skip("the Q&A plugin (the interview format) is not installed")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/c/{world.characteristic.slug}/comments/new")
        box = _interview_box(page)
        assert box.is_visible()
        assert "used only when the format is Interview" in box.locator("legend").first.inner_text()
    finally:
        context.close()


def test_submit_inputs_look_like_buttons(world, open_page, app):
    if "qa.new_interview" not in app.view_functions:
        pytest.skip("the Q&A plugin's editor has the submit inputs")
    page = open_page(user=world.member)
    page.goto(f"/p/qa/interview/new?characteristic={world.characteristic.slug}")
    post = page.locator("input[type=submit][name=post]")
    style = post.evaluate(
        "e => { const s = getComputedStyle(e); return [s.borderRadius, s.fontWeight, s.cursor,"
        " s.minHeight, s.backgroundColor] }"
    )
    button = page.locator("button[name=add_turn]").evaluate(
        "e => { const s = getComputedStyle(e); return [s.borderRadius, s.fontWeight, s.cursor,"
        " s.minHeight] }"
    )
    assert style[:4] == button  # same shape as a <button>
    assert style[4] not in ("rgba(0, 0, 0, 0)", "transparent")  # a filled primary button
