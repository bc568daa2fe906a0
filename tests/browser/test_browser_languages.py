"""A French-speaking guest in Canada reads the thread in French with its times in her own zone.

Guests share one cached page per language, written in the site's zone (UTC, named); the script
puts each exact time into the browser's zone and names it. A member's page is in the zone they
chose, and the script leaves it alone."""

from datetime import UTC, datetime

import pytest

from forum.extensions import db

pytestmark = pytest.mark.browser

LIVE = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)  # 09:00 in Helsinki, 02:00 in Toronto (winter)


@pytest.fixture
def thread(make_characteristic, make_part, make_user):
    trust = make_characteristic(slug="luottamus", title="Luottamus")
    expert = make_user("aino", roles=("member", "expert"), display_name="Aino Virtanen")
    make_part(
        trust,
        author=expert,
        part_number=1,
        title="Ensimmäinen",
        publish_at=LIVE,
        body="Teksti.",
        language="fi",
    )
    return trust


def _part_time(page) -> str:
    page.goto("/c/luottamus")
    stamp = page.locator("time[datetime^='2026-01-15T07:00']").first
    stamp.wait_for()
    return stamp.inner_text()


def test_a_guest_in_toronto_reads_french_times_in_her_zone(open_page, thread):
    page = open_page(timezone="America/Toronto", locale="fr-CA")
    page.context.add_cookies([{"name": "locale", "value": "fr", "url": page.probe.origin}])
    shown = _part_time(page)
    assert "(America/Toronto)" in shown and "15 janvier 2026" in shown
    assert "02:00" in shown or "02 h 00" in shown, shown
    assert page.locator("html").get_attribute("lang") == "fr"


def test_a_members_chosen_zone_is_left_as_the_server_wrote_it(open_page, thread, make_user):
    claire = make_user("claire", timezone="Europe/Helsinki", locale="fr")
    db.session.commit()
    page = open_page(timezone="America/Toronto", user=claire)
    shown = _part_time(page)
    assert shown.endswith("(Europe/Helsinki)") and "09:00" in shown, shown
