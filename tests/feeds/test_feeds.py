"""Every Atom feed is valid, stable, linked from its pages, and carries published content only."""

import re

import feedparser
import pytest

from forum.db import utcnow
from forum.extensions import db
from forum.series.models import ExpertProfile

CANARY = "unpublishedcanary"


@pytest.fixture
def world(make_series, make_characteristic, make_part, make_comment, make_user):
    series = make_series(slug="kmc", title="Key Mentorship Characteristics")
    ch = make_characteristic(series=series, slug="trust", title="Trust", number=2)
    expert = make_user("demo_expert", roles=("member", "expert"), display_name="Dr Demo (demo)")
    db.session.add(ExpertProfile(user_id=expert.id, affiliation="Demo Org", is_demo=True))
    db.session.commit()
    live = make_part(
        characteristic=ch,
        author=expert,
        title="Trust <takes> time",
        body="Live **body** & more.",
        teaser="A teaser.",
    )
    hidden = [
        make_part(characteristic=ch, author=expert, status="submitted", body=CANARY + " submitted"),
        make_part(characteristic=ch, author=expert, publish_at="future", title=CANARY, body=CANARY),
        make_part(characteristic=ch, author=expert, hidden_at=utcnow(), body=CANARY + " hidden"),
        make_part(characteristic=ch, author=expert, status="rejected", body=CANARY + " rejected"),
    ]
    member = make_user("reader")
    comment = make_comment(characteristic=ch, author=member, body="A kind *reply*.")
    make_comment(characteristic=ch, author=member, status="pending", body=CANARY + " pending")
    make_comment(
        characteristic=ch, guest_name="Guest", status="rejected", body=CANARY + " rejected"
    )
    make_comment(characteristic=ch, author=member, deleted_at=utcnow(), body=CANARY + " deleted")
    return {
        "series": series,
        "ch": ch,
        "expert": expert,
        "live": live,
        "comment": comment,
        "hidden": hidden,
    }


FEEDS = [
    "/feeds/site.atom",
    "/feeds/series/kmc.atom",
    "/feeds/c/trust.atom",
    "/feeds/c/trust/comments.atom",
    "/feeds/experts/demo_expert.atom",
]


@pytest.mark.parametrize("path", FEEDS)
def test_feed_is_valid_atom_without_unpublished_content(world, client, login_as, path):
    login_as(client, world["expert"])  # the author of the hidden parts: feeds stay public anyway
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    raw = response.get_data(as_text=True)
    assert CANARY not in raw
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id.startswith("tag:")
    assert parsed.feed.updated_parsed is not None
    assert any(link.rel == "self" and link.href.endswith(path) for link in parsed.feed.links)
    assert parsed.feed.link.startswith("http://localhost/")
    assert len(parsed.entries) == 1
    entry = parsed.entries[0]
    assert entry.id.startswith("tag:localhost,2026:")
    assert entry.published_parsed and entry.updated_parsed
    assert entry.link.startswith("http://localhost/")
    assert entry.author
    assert entry.content[0].type == "text/html"


def test_part_entry_content_and_stable_ids(world, client):
    first = feedparser.parse(client.get("/feeds/c/trust.atom").data)
    again = feedparser.parse(client.get("/feeds/c/trust.atom").data)
    entry = first.entries[0]
    assert entry.id == again.entries[0].id == f"tag:localhost,2026:part/{world['live'].id}"
    assert entry.title == f"Trust, part {world['live'].part_number}: Trust <takes> time"
    assert "<strong>body</strong>" in entry.content[0].value
    assert entry.summary == "A teaser."
    assert entry.link.endswith(f"/c/trust/part/{world['live'].part_number}")
    assert entry.author == "Dr Demo (demo)"
    assert first.feed.updated == again.feed.updated


def test_comment_feed_entry(world, client):
    parsed = feedparser.parse(client.get("/feeds/c/trust/comments.atom").data)
    entry = parsed.entries[0]
    assert entry.id == f"tag:localhost,2026:comment/{world['comment'].id}"
    assert "<em>reply</em>" in entry.content[0].value


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/series/nope.atom",
        "/feeds/c/nope.atom",
        "/feeds/c/nope/comments.atom",
        "/feeds/experts/reader.atom",
        "/feeds/experts/nobody.atom",
        "/feeds/c/" + "x" * 300 + ".atom",
    ],
)
def test_unknown_feed_is_404(world, client, path):
    assert client.get(path).status_code == 404


def test_empty_feed_is_valid(make_characteristic, client):
    ch = make_characteristic(slug="empty")
    parsed = feedparser.parse(client.get("/feeds/c/empty.atom").data)
    assert not parsed.bozo and parsed.entries == [] and parsed.feed.updated_parsed
    assert ch.id


def _alternates(html):
    import re

    return re.findall(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)"', html
    )


def test_autodiscovery_links_on_pages(world, client):
    thread = client.get("/c/trust").get_data(as_text=True)
    assert _alternates(thread) == [  # the core's feeds first, then the Q&A plugin's
        "/feeds/c/trust.atom",
        "/feeds/c/trust/comments.atom",
        "/feeds/site.atom",
        "/p/qa/c/trust/questions.atom",
        "/p/qa/questions.atom",
    ]
    part = client.get(f"/c/trust/part/{world['live'].part_number}").get_data(as_text=True)
    assert "/feeds/c/trust.atom" in _alternates(part)
    expert = client.get("/experts/demo_expert").get_data(as_text=True)
    assert "/feeds/experts/demo_expert.atom" in _alternates(expert)
    home = client.get("/").get_data(as_text=True)
    assert _alternates(home) == ["/feeds/site.atom", "/p/qa/questions.atom"]
    for path in _alternates(thread) + _alternates(expert):
        assert client.get(path).status_code == 200


def test_the_feeds_page_lists_every_site_wide_feed_linked_from_the_footer(world, client):
    """Core and plugins announce feeds through one hook (``register_feeds``); ``/feeds`` lists
    the site-wide ones of both, and every page's footer links it."""
    home = client.get("/").get_data(as_text=True)
    assert 'href="/feeds/"' in home
    page = client.get("/feeds/").get_data(as_text=True)
    links = re.findall(r'<a href="([^"]+)" type="application/atom\+xml"', page)
    assert "/feeds/site.atom" in links and "/p/qa/questions.atom" in links
    assert any(link.startswith("/feeds/series/") for link in links)
    for link in links:
        assert client.get(link).status_code == 200, link


def test_open_graph_and_share_links_on_part_and_thread(world, client):
    number = world["live"].part_number
    html = client.get(f"/c/trust/part/{number}").get_data(as_text=True)
    assert '<meta property="og:title" content="Trust &lt;takes&gt; time · KMC 2) Trust">' in html
    assert '<meta property="og:description" content="A teaser.">' in html
    assert f'<meta property="og:url" content="http://localhost/c/trust/part/{number}">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert f'data-copy-url="http://localhost/c/trust/part/{number}"' in html
    assert "mailto:?subject=" in html
    assert "/feeds/static/share.js" in html
    thread = client.get("/c/trust").get_data(as_text=True)
    assert '<meta property="og:title" content="KMC 2) Trust">' in thread
    assert "Share by e-mail" in thread


def test_no_card_for_unpublished_part(world, client, login_as):
    future = world["hidden"][1]
    login_as(client, world["expert"])
    html = client.get(f"/c/trust/part/{future.part_number}").get_data(as_text=True)
    assert "og:title" not in html and "data-copy-url" not in html


def test_share_script_served(client):
    response = client.get("/feeds/static/share.js")
    try:
        assert response.status_code == 200 and b"data-copy-url" in response.data
    finally:
        response.close()
