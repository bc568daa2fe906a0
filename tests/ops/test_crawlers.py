"""robots.txt and sitemap.xml: public threads and published parts only, with absolute URLs."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest

from forum.db import utcnow

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def app_config(tmp_path):
    return {"FORUM_PAGE_CACHE": True, "FORUM_PAGE_CACHE_DIR": str(tmp_path / "pages")}


def locations(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.data)  # parses as XML
    assert root.tag == f"{NS}urlset"
    return [url.findtext(f"{NS}loc") for url in root.findall(f"{NS}url")]


@pytest.fixture
def parts(make_characteristic, make_part, make_user):
    ch = make_characteristic(slug="trust", title="Trust")
    author = make_user("expert_ann", roles=("member", "expert"))
    made = {
        "live": make_part(characteristic=ch, author=author, part_number=1, title="Live"),
        "scheduled": make_part(
            characteristic=ch, author=author, part_number=2, publish_at="future"
        ),
        "hidden": make_part(characteristic=ch, author=author, part_number=3, hidden_at=utcnow()),
        "submitted": make_part(
            characteristic=ch, author=author, part_number=4, status="submitted", publish_at=None
        ),
        "deleted": make_part(
            characteristic=ch,
            author=author,
            part_number=5,
            deleted_at=utcnow() - timedelta(minutes=1),
        ),
    }
    return {"ch": ch, "author": author, **made}


def _part_url(number: int, host="http://localhost") -> str:
    return f"{host}/c/trust/part/{number}"


def test_robots_txt_keeps_crawlers_to_public_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    rules = response.get_data(as_text=True).splitlines()
    assert rules[0] == "User-agent: *"
    for private in (
        "/account",
        "/login",
        "/moderation",
        "/notifications",
        "/p/pair_spaces/",
        "/api/",
    ):
        assert f"Disallow: {private}" in rules
    assert not [r for r in rules if r.startswith("Disallow: /c/") or r == "Disallow: /"]
    assert "Sitemap: http://localhost/sitemap.xml" in rules


def test_sitemap_lists_published_parts_only(client, parts):
    locs = locations(client.get("/sitemap.xml"))
    assert "http://localhost/" in locs and "http://localhost/c/trust" in locs
    assert _part_url(1) in locs
    for number in (2, 3, 4, 5):  # scheduled, hidden, submitted, deleted
        assert _part_url(number) not in locs
    assert all(loc.startswith("http://localhost/") for loc in locs)
    assert not [loc for loc in locs if "/p/" in loc]  # no plugin (pair space) pages


def test_sitemap_is_the_public_one_whoever_asks(app, parts, login_as):
    author = login_as(app.test_client(), parts["author"])  # sees their own scheduled part elsewhere
    locs = locations(author.get("/sitemap.xml"))
    assert _part_url(1) in locs and _part_url(2) not in locs


def test_sitemap_follows_a_scheduled_part_going_live(client, parts):
    assert _part_url(2) not in locations(client.get("/sitemap.xml"))
    from forum.extensions import db

    parts["scheduled"].publish_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert _part_url(2) in locations(client.get("/sitemap.xml"))


def test_sitemap_urls_use_the_configured_origin(make_app, parts):
    app = make_app(SERVER_NAME="forum.example.org", PREFERRED_URL_SCHEME="https")
    client = app.test_client()
    locs = locations(client.get("/sitemap.xml", base_url="https://forum.example.org"))
    assert _part_url(1, "https://forum.example.org") in locs
    assert all(loc.startswith("https://forum.example.org/") for loc in locs)
    robots = client.get("/robots.txt", base_url="https://forum.example.org").get_data(as_text=True)
    assert "Sitemap: https://forum.example.org/sitemap.xml" in robots
