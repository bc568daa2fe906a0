"""Draft, submitted, rejected and future parts: hidden from the public, shown to author and moderators."""

from datetime import timedelta

import pytest

from forum.db import utcnow
from forum.extensions import db
from forum.series.models import ExpertProfile


@pytest.fixture
def thread(make_characteristic):
    return make_characteristic(slug="trust", title="Trust")


@pytest.mark.parametrize(
    "status,publish_at",
    [
        ("draft", None),
        ("submitted", None),
        ("rejected", None),
        ("approved", "future"),
    ],
)
def test_unpublished_parts_hidden_from_public_but_not_author_or_moderator(
    app, client, thread, make_part, make_user, login_as, status, publish_at
):
    author = make_user("expert1", roles=("member", "expert"))
    part = make_part(
        thread,
        author=author,
        status=status,
        publish_at=publish_at,
        title="Secret draft",
        body="The hidden body text",
        part_number=1,
    )
    # a scheduled part has a "coming soon" page (tests/series/test_scheduled_part_page.py)
    hidden_status = 200 if publish_at == "future" else 404
    page = client.get("/c/trust")
    assert page.status_code == 200 and b"hidden body text" not in page.data
    response = client.get("/c/trust/part/1")
    assert response.status_code == hidden_status and b"hidden body text" not in response.data
    db.session.add(ExpertProfile(user_id=author.id, affiliation="Org"))
    db.session.commit()
    expert_page = client.get("/experts/expert1")  # the author's public card lists public parts only
    assert expert_page.status_code == 200 and b"Secret draft" not in expert_page.data

    stranger = make_user("someone")
    login_as(client, stranger)
    response = client.get("/c/trust/part/1")
    assert response.status_code == hidden_status and b"hidden body text" not in response.data

    login_as(client, author)
    response = client.get("/c/trust/part/1")
    assert response.status_code == 200 and b"hidden body text" in response.data
    assert b"Not public" in response.data

    moderator = make_user("mod", roles=("member", "moderator"))
    login_as(client, moderator)
    response = client.get("/c/trust/part/1")
    assert response.status_code == 200 and b"hidden body text" in response.data
    assert part.id


def test_live_part_is_public(client, thread, make_part):
    make_part(thread, title="Open for all", body="Public words", part_number=1)
    page = client.get("/c/trust")
    assert b"Public words" in page.data
    assert client.get("/c/trust/part/1").status_code == 200


def test_a_scheduled_part_goes_live_when_its_time_passes(client, thread, make_part):
    part = make_part(
        thread,
        publish_at=utcnow() + timedelta(hours=2),
        body="Scheduled words",
        part_number=1,
        teaser="A peek at it",
    )
    assert b"Scheduled words" not in client.get("/c/trust").data
    soon = client.get("/coming-soon")
    assert b"A peek at it" in soon.data and b"Scheduled words" not in soon.data
    # Time passes: move the publish date into the past instead of sleeping.
    part.publish_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert b"Scheduled words" in client.get("/c/trust").data
    assert b"A peek at it" not in client.get("/coming-soon").data


def test_coming_soon_never_shows_unapproved_or_the_body(client, thread, make_part):
    make_part(
        thread, status="submitted", publish_at="future", teaser="not approved yet", part_number=1
    )
    make_part(
        thread,
        status="approved",
        publish_at="future",
        teaser="approved teaser",
        body="BODY-MUST-NOT-LEAK",
        part_number=2,
    )
    for url in ("/", "/coming-soon"):
        page = client.get(url).data
        assert b"approved teaser" in page
        assert b"not approved yet" not in page
        assert b"BODY-MUST-NOT-LEAK" not in page
