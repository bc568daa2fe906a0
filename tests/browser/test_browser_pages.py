"""Every page type, in a real browser, on a phone (360px, dark) and a desktop (1280px, light):
no console error, no CSP violation, no sideways scrolling, zero axe-core violations."""

import pytest
from conftest import DESKTOP, PAGES, PHONE

pytestmark = pytest.mark.browser

#: Each width is checked once, with the other colour scheme, so both schemes meet contrast rules.
VIEWS = ((PHONE, "dark"), (DESKTOP, "light"))


@pytest.mark.parametrize("spec", PAGES, ids=repr)
def test_page_type_is_clean_and_accessible(spec, app, world, open_page, check_page):
    resolved = spec.resolve(app, world)
    if resolved is None:
        pytest.skip(f"{spec.name}: no route {spec.endpoint!r} yet")
    path, user = resolved
    page = open_page(user=user)
    for width, scheme in VIEWS:
        page.set_viewport_size({"width": width, "height": 780 if width == PHONE else 900})
        page.emulate_media(color_scheme=scheme)
        response = page.goto(path)
        assert response.status == spec.status, f"{spec.name}: {path} answered {response.status}"
        if spec.status >= 400:
            # Chromium logs the document's own 4xx as a console error; that one is expected.
            page.wait_for_load_state("load")
            page.probe.errors = [e for e in page.probe.errors
                                 if f"status of {spec.status}" not in e]
        check_page(page, f"{spec.name}-{width}-{scheme}")
