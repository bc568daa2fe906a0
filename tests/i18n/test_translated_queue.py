"""The review queue, with a part, a comment, a guest's comment and a flag waiting, has no English
left from its strings for a moderator who reads Finnish or French."""

import pytest

from forum.extensions import db
from forum.moderation.models import Flag
from forum.testing import english_left

QUEUE_FILES = [
    "templates/base.html",
    "templates/moderation/queue.html",
    "templates/moderation/_macros.html",
    "forum/moderation/queue.py",
    "forum/moderation/plugin.py",
]


@pytest.fixture
def waiting(make_series, make_characteristic, make_part, make_comment, make_user):
    series = make_series(title="Mentoroinnin ominaisuudet")
    trust = make_characteristic(series=series, slug="luottamus", title="Luottamus")
    expert = make_user("aino", roles=("member", "expert"), display_name="Aino Virtanen")
    member = make_user("claire", display_name="Claire")
    make_part(trust, author=expert, part_number=1, title="Odottava", status="submitted")
    make_comment(characteristic=trust, author=member, body="Odottaa.", status="pending")
    make_comment(
        characteristic=trust, author=None, guest_name="Vieras", body="Vieras.", status="pending"
    )
    flagged = make_comment(characteristic=trust, author=member, body="Ilmoitettu.")
    db.session.add(
        Flag(target_type="comment", target_id=flagged.id, user_id=expert.id, reason="spam")
    )
    db.session.commit()
    return trust


@pytest.mark.parametrize("language", ["fi", "fr"])
def test_the_review_queue_has_no_english_left(app, login_as, make_user, waiting, language):
    moderator = make_user("moderator", roles=("member", "moderator"), locale=language)
    client = login_as(app.test_client(), moderator)
    response = client.get("/moderation/queue")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Odottaa." in page and "Vieras." in page and "Ilmoitettu." in page  # (all four kinds)
    pieces, left = english_left(app, page, QUEUE_FILES, language)
    assert pieces > 40  # (the real set)
    assert not left, f"English on the review queue in {language}: {left}"
