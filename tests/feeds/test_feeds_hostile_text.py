"""No stored text can make a feed ill-formed: characters XML 1.0 forbids are dropped on output
(text stored before the input rule, or by a path that skipped it)."""

from xml.etree import ElementTree as ET

import feedparser
import pytest

from forum.extensions import db
from forum.series.models import ExpertProfile

NOT_XML = "\x01\x0b\x1f\ufffe\uffff"  # XML 1.0 forbids these
HOSTILE = NOT_XML + "\x7f\x85"  # allowed by XML, refused by the input rule


@pytest.fixture
def hostile_world(make_series, make_characteristic, make_part, make_comment, make_user):
    series = make_series(slug="kmc", title=f"Series{HOSTILE}")
    ch = make_characteristic(series=series, slug="trust", title=f"Trust{HOSTILE}")
    expert = make_user(
        "hostile_expert", roles=("member", "expert"), display_name=f"Dr\x0bX{HOSTILE}"
    )
    db.session.add(ExpertProfile(user_id=expert.id, affiliation=f"Org{HOSTILE}"))
    db.session.commit()
    make_part(
        characteristic=ch,
        author=expert,
        title=f"Part title\x0b{HOSTILE}",
        teaser=f"Teaser{HOSTILE}",
        body=f"Body{HOSTILE}",
    )
    make_comment(characteristic=ch, guest_name=f"Guest\x01{HOSTILE}", body=f"Comment{HOSTILE}")
    make_comment(
        characteristic=ch,
        author=make_user(display_name=f"Member{HOSTILE}"),
        body=f"Member comment{HOSTILE}",
    )
    from forum_qa import services

    asker = make_user(trusted_override=True, display_name=f"Asker{HOSTILE}")
    services.ask(ch, asker, f"Question\x01{HOSTILE}?", f"Detail{HOSTILE}")
    db.session.commit()
    return ch


FEEDS = [
    "/feeds/site.atom",
    "/feeds/series/kmc.atom",
    "/feeds/c/trust.atom",
    "/feeds/c/trust/comments.atom",
    "/feeds/experts/hostile_expert.atom",
    "/p/qa/questions.atom",
    "/p/qa/c/trust/questions.atom",
]


@pytest.mark.parametrize("path", FEEDS)
def test_feed_with_stored_control_characters_is_well_formed(hostile_world, client, path):
    response = client.get(path)
    assert response.status_code == 200
    root = ET.fromstring(response.data)  # strict: raises on any character XML forbids
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert entries, path
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert not any(c in response.get_data(as_text=True) for c in NOT_XML)
