"""Every page type, in a real browser, on a desktop (1280px, light) and a phone (360px, dark):
no console error, no CSP violation, no sideways scrolling, zero axe-core violations.

axe runs every rule on the desktop view; the phone view (same DOM, other width and colours)
re-runs the rules that depend on layout and colour, so both schemes meet the contrast rules.
Pages are visited in groups by who looks (one world and one browser context per group, to keep
the suite fast); every page of a group is checked and all problems are reported together.
"""

import pytest
from conftest import DESKTOP, LAYOUT_RULES, PAGES, PHONE, READERS, REQUIRED

pytestmark = pytest.mark.browser

VIEWS = ((DESKTOP, "light", None), (PHONE, "dark", LAYOUT_RULES))


def visit(page, spec, path, check_page):
    for width, scheme, rules in VIEWS:
        page.set_viewport_size({"width": width, "height": 780 if width == PHONE else 900})
        page.emulate_media(color_scheme=scheme)
        response = page.goto(path)
        assert response.status == spec.status, f"{spec.name}: {path} answered {response.status}"
        if spec.status >= 400:
            # Chromium logs the document's own 4xx as a console error; that one is expected.
            page.wait_for_load_state("load")
            page.probe.errors = [
                e for e in page.probe.errors if f"status of {spec.status}" not in e
            ]
        check_page(page, f"{spec.name}-{width}-{scheme}", rules=rules)


@pytest.mark.parametrize("who", READERS)
def test_page_types_are_clean_and_accessible(who, app, full_world, open_page, check_page):
    app.config["COMMENTS_PER_PAGE"] = 1  # the world's two comments then show pagination
    specs = [s for s in PAGES if (s.who or "anonymous") == who]
    page = open_page(user=None if who == "anonymous" else getattr(full_world, who))
    failures, skipped = [], []
    for spec in specs:
        path = spec.resolve(app, full_world)
        if path is None:
            (failures if spec.name in REQUIRED else skipped).append(
                f"{spec.name}: no route {spec.endpoint!r}"
            )
            continue
        page.probe.take_errors()
        try:
            visit(page, spec, path, check_page)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)
    if skipped:
        pytest.skip("; ".join(skipped))


def test_every_required_page_type_is_in_the_catalogue(app):
    assert REQUIRED <= {spec.name for spec in PAGES}
    missing = [
        s.name
        for s in PAGES
        if s.name in REQUIRED and s.endpoint and s.endpoint not in app.view_functions
    ]
    assert not missing, f"required page types without a route: {missing}"


def test_a_part_prints_as_a_clean_article(app, world, open_page):
    page = open_page()
    page.goto(f"/c/{world.characteristic.slug}/part/{world.part.part_number}")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.locator(".part-body").is_visible() and page.locator(".expert-card").is_visible()
    link_after = page.locator(".part-body a[href^='https']").first.evaluate(
        "a => getComputedStyle(a, '::after').content"
    )
    assert "example.org/notes" in link_after
    assert page.pdf(format="A4")[:4] == b"%PDF"


def test_jump_to_latest_and_comment_pages(app, world, open_page):
    app.config["COMMENTS_PER_PAGE"] = 1
    page = open_page(width=PHONE)
    page.goto(f"/c/{world.characteristic.slug}")
    pages = page.get_by_role("navigation", name="Comment pages")
    assert pages.locator("[aria-current=page]").inner_text() == "1"
    with page.expect_navigation():
        page.get_by_role("link", name="Jump to latest").click()
    assert page.url.endswith("page=2#latest")
    assert (
        page.locator("#latest .comment-body")
        .inner_text()
        .startswith("Reading this as a new mentee")
    )
    assert page.locator("#latest").bounding_box()["y"] < 780  # scrolled into view
