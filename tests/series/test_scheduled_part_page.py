"""A scheduled part's URL answers with its "coming soon" page; threads and previous/next count it."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from forum.db import utcnow
from forum.extensions import db
from forum.testing import write_content_version

GOES_LIVE = datetime(2031, 3, 4, 15, 30, tzinfo=UTC)


@pytest.fixture
def thread(make_characteristic, make_part, make_user):
    """Trust: part 1 live, part 2 scheduled (with a teaser and a body nobody may see yet), 3 live."""
    ch = make_characteristic(slug="trust", title="Trust")
    expert = make_user("planned", roles=("member", "expert"), display_name="Dana Planned")
    from forum.series.models import ExpertProfile

    db.session.add(ExpertProfile(user_id=expert.id, affiliation="Planned Org", country="Chile"))
    db.session.commit()
    make_part(ch, title="First words", part_number=1)
    scheduled = make_part(
        ch,
        author=expert,
        title="Second, soon",
        teaser="What trust costs",
        body="SECRET-BODY-OF-PART-TWO",
        part_number=2,
        publish_at=GOES_LIVE,
    )
    make_part(ch, title="Third words", part_number=3)
    return ch, scheduled


def test_scheduled_part_page_shows_teaser_card_and_time_but_no_body(client, thread):
    response = client.get("/c/trust/part/2")
    page = response.get_data(as_text=True).replace("\u202f", " ")  # (Babel's narrow space)
    assert response.status_code == 200
    assert "Coming soon" in page and "Part 2" in page and "Second, soon" in page
    assert "What trust costs" in page
    assert "Dana Planned" in page and "Planned Org" in page and "Chile" in page
    assert "March 4, 2031, 3:30 PM (UTC)" in page
    assert "SECRET-BODY-OF-PART-TWO" not in page


def test_unknown_part_number_is_still_404(client, thread):
    assert client.get("/c/trust/part/9").status_code == 404


def test_thread_lists_every_part_in_order_scheduled_as_coming_soon(client, thread):
    page = client.get("/c/trust").get_data(as_text=True).replace("\u202f", " ")
    positions = [page.index(title) for title in ("First words", "Second, soon", "Third words")]
    assert positions == sorted(positions)
    scheduled = page[positions[1] : positions[2]]
    assert "Coming soon" in scheduled and "March 4, 2031, 3:30 PM (UTC)" in scheduled
    assert "SECRET-BODY-OF-PART-TWO" not in page
    assert 'href="/c/trust/part/2"' in page


def _nav_targets(page: str) -> dict[str, str]:
    return dict(re.findall(r'rel="(prev|next)" href="([^"]+)"', page))


def test_previous_and_next_pass_through_the_scheduled_part(client, thread):
    assert _nav_targets(client.get("/c/trust/part/1").get_data(as_text=True))["next"] == (
        "/c/trust/part/2"
    )
    assert _nav_targets(client.get("/c/trust/part/2").get_data(as_text=True)) == {
        "prev": "/c/trust/part/1",
        "next": "/c/trust/part/3",
    }
    third = client.get("/c/trust/part/3").get_data(as_text=True)
    assert _nav_targets(third)["prev"] == "/c/trust/part/2" and "(coming soon)" in third


@pytest.fixture
def app_config(tmp_path):
    return {"FORUM_PAGE_CACHE": True, "FORUM_PAGE_CACHE_DIR": str(tmp_path / "pages")}


def test_cached_coming_soon_page_turns_into_the_part_when_it_goes_live(app, thread):
    _, scheduled = thread
    client = app.test_client()
    assert client.get("/c/trust/part/2").headers.get("X-Page-Cache") == "miss"
    cached = client.get("/c/trust/part/2")
    assert cached.headers.get("X-Page-Cache") == "hit" and b"Coming soon" in cached.data
    # time passes, behind the ORM's back (no commit bumps the version): the part's date is
    # past, and so is the next publish time the cached version was stored under
    past = (utcnow() - timedelta(minutes=1)).replace(tzinfo=None)
    store = app.extensions["forum.pagecache"]
    with db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE parts SET publish_at = :p WHERE id = :i"),
            {"p": past, "i": scheduled.id},
        )
    version = store.get_version()
    assert version["next"] is not None
    write_content_version(app, {"v": version["v"], "next": 1.0})
    live = client.get("/c/trust/part/2")
    assert live.headers.get("X-Page-Cache") == "miss"
    assert b"SECRET-BODY-OF-PART-TWO" in live.data and b"Coming soon" not in live.data
