"""A member's own pages (profile, settings, two-factor, tokens, e-mail choices, watching) and
the moderators' and admins' pages (members, a member, threads, a flagged comment, the audit log,
failed mail, plugins) in Finnish and French, with no English left from their strings."""

import re

import pytest

from forum.extensions import db
from forum.moderation.models import Flag
from forum.series.models import ExpertProfile
from forum.testing import english_left

FILES = [
    "templates/base.html",
    *(
        f"templates/{folder}/*.html"
        for folder in ("accounts", "admin", "api", "moderation", "notifications", "feeds", "macros")
    ),
    "templates/experts/profile.html",
    "forum/accounts/forms.py",
    "forum/moderation/forms.py",
    "forum/templating.py",
]

MEMBER_PAGES = [
    "/u/claire",
    "/account/profile",
    "/account/password",
    "/account/2fa",
    "/account/tokens",
    "/notifications/email",
    "/watch/luottamus",
    "/feeds/",
    "/experts/aino",
    "/flag/comment/{comment}",
]
STAFF_PAGES = [
    "/moderation/members",
    "/moderation/users/claire",
    "/moderation/threads",
    "/moderation/content/comment/{comment}",
    "/moderation/comments/{comment}/edit",
    "/admin/",
    "/admin/audit",
    "/admin/mail",
    "/admin/plugins",
]


@pytest.fixture
def site(make_series, make_characteristic, make_part, make_comment, make_user):
    series = make_series(title="Mentoroinnin ominaisuudet")
    trust = make_characteristic(series=series, slug="luottamus", title="Luottamus")
    expert = make_user("aino", roles=("member", "expert"), display_name="Aino Virtanen")
    make_part(trust, author=expert, part_number=1, title="Ensimmäinen", body="Teksti.")
    db.session.add(ExpertProfile(user_id=expert.id, affiliation="Yliopisto", country="Suomi"))
    claire = make_user("claire", display_name="Claire")
    admin = make_user("mod", roles=("member", "moderator", "admin"), display_name="Modi")
    reader = make_user("reader", display_name="Lukija")
    comment = make_comment(characteristic=trust, author=reader, body="Kommentti.")
    db.session.add(
        Flag(
            user_id=claire.id,
            target_type="comment",
            target_id=comment.id,
            reason="spam",
            note="Mainos.",
        )
    )
    db.session.commit()
    return claire, admin, comment


def _check(app, client, paths, comment, language):
    for path in paths:
        path = path.format(comment=comment.id)
        response = client.get(path)
        assert response.status_code == 200, path
        # (the authenticator's set-up address is data, its issuer name the same in every language)
        page = re.sub(r'<code class="otpauth-uri">.*?</code>', "", response.text)
        pieces, left = english_left(app, page, FILES, language)
        assert pieces > 300  # (the real set)
        assert not left, f"English on {path} in {language}: {left}"


@pytest.mark.parametrize("language", ["fi", "fr"])
@pytest.mark.parametrize(
    ("who", "pages"), [(0, MEMBER_PAGES), (1, STAFF_PAGES)], ids=["member", "staff"]
)
def test_member_and_staff_pages_have_no_english_left(app, login_as, site, language, who, pages):
    """The member reads their own pages, the moderator-admin the staff pages."""
    person, comment = site[who], site[2]
    person.locale = language
    db.session.commit()
    _check(app, login_as(app.test_client(), person), pages, comment, language)
