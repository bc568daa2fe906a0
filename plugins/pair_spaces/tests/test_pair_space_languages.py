"""The pair space in Finnish and French: a member who reads either language finds no English left
from the space's own strings (the conversation page, its header and sections, the message form).
What the two wrote is theirs and is never translated."""

import re

import pytest

from forum.sdk import db
from forum.testing import english_left

SPACE_FILES = [
    "templates/base.html",
    "plugins/pair_spaces/forum_pair_spaces/templates/pair_spaces/space.html",
    "plugins/pair_spaces/forum_pair_spaces/templates/pair_spaces/_space_nav.html",
    "plugins/pair_spaces/forum_pair_spaces/forms.py",
]


@pytest.mark.parametrize("language", ["fi", "fr"])
def test_the_pair_space_has_no_english_left(app, kit, language):
    pair, mentor, mentee = kit.pair()
    base = f"/p/pair_spaces/{pair.id}"
    kit.post(mentor, f"{base}/messages", {"body": "Hei, mitä kuuluu?"}, status=303)
    kit.post(mentor, f"{base}/roleplay/start", status=303)
    mentee.locale = language
    db.session.commit()
    page = kit.get(mentee, base).get_data(as_text=True)
    assert "Hei, mitä kuuluu?" in page  # (their own words, as written)
    pieces, left = english_left(app, page, SPACE_FILES, language)
    assert pieces > 60  # (the real set)
    assert not left, f"English on the pair space in {language}: {left}"


ALL_FILES = [
    "templates/base.html",
    "plugins/pair_spaces/forum_pair_spaces/forms.py",
    "plugins/pair_spaces/forum_pair_spaces/templates/pair_spaces/*.html",
]
SPACE_PAGES = [
    "agreement",
    "concerns",
    "guidance",
    "notes",
    "goals",
    "meetings",
    "journal",
    "quotes",
    "leave",
]
MEMBER_PAGES = [
    "/p/pair_spaces/mine",
    "/p/pair_spaces/mentors",
    "/p/pair_spaces/mentoring/profile",
    "/p/pair_spaces/pairs",
]


@pytest.mark.parametrize("language", ["fi", "fr"])
def test_every_page_of_the_pair_space_has_no_english_left(app, kit, language):
    """The agreement, concerns, guidance, notes, goals, meetings, journal, quotes and leaving
    pages, and the member's pairs, the mentor directory and the mentoring profile."""
    pair, mentor, mentee = kit.pair()
    mentee.locale = language
    db.session.commit()
    base = f"/p/pair_spaces/{pair.id}"
    for path in [f"{base}/{page}" for page in SPACE_PAGES] + MEMBER_PAGES:
        response = kit.get(mentee, path)
        assert response.status_code == 200, path
        # (the agreement's text is the pair's own, started from the admin's template)
        page = re.sub(
            r"(?s)<dd>.*?</dd>|<textarea[^>]*>.*?</textarea>", "", response.get_data(as_text=True)
        )
        pieces, left = english_left(app, page, ALL_FILES, language)
        assert pieces > 250  # (the real set)
        assert not left, f"English on {path} in {language}: {left}"


# What views and services say outside the templates: these strings are the English that would be
# left if one were not wrapped (english_left knows only the strings gettext already marks).
PROFILE_SAVED = "Mentoring profile saved."
PROFILE_SAVED_UNPUBLISHED = "Saved. Your mentoring profile is not published."
ANY_SUPERVISOR = "Any available supervisor"
ONLY_THE_OTHER = "only the other party confirms having read them"
PROGRAMME_LABELS = ["Pairs active", "Pairs ended", "Proposals waiting", "Guidance requests open"]


@pytest.mark.parametrize("language", ["fi", "fr"])
def test_saving_the_mentoring_profile_is_confirmed_in_the_members_language(
    app, kit, make_user, language
):
    from mentor_kit import PROFILE

    member = make_user()
    member.locale = language
    db.session.commit()
    files = [*ALL_FILES, "plugins/pair_spaces/forum_pair_spaces/views/mentoring.py"]
    for published, english in [("y", PROFILE_SAVED), (None, PROFILE_SAVED_UNPUBLISHED)]:
        data = {k: v for k, v in {**PROFILE, "published": published}.items() if v is not None}
        response = kit.client(member).post(
            "/p/pair_spaces/mentoring/profile", data=data, follow_redirects=True
        )
        assert response.status_code == 200
        page = re.sub(r"(?s)<textarea[^>]*>.*?</textarea>", "", response.get_data(as_text=True))
        assert 'class="flash flash-success"' in page  # (the confirmation is shown)
        assert english not in page
        pieces, left = english_left(app, page, files, language)
        assert not left, f"English on the saved profile in {language}: {left}"


@pytest.mark.parametrize("language", ["fi", "fr"])
def test_asking_for_guidance_offers_any_supervisor_in_the_members_language(
    app, kit, make_user, language
):
    supervisor = make_user(roles=("member", "supervisor"))
    pair, mentor, mentee = kit.pair()
    mentee.locale = language
    db.session.commit()
    page = kit.get(mentee, f"/p/pair_spaces/{pair.id}/guidance").get_data(as_text=True)
    assert supervisor.username in page or supervisor.name in page  # (the choice is offered)
    assert ANY_SUPERVISOR not in page
    files = [*ALL_FILES, "plugins/pair_spaces/forum_pair_spaces/views/guidance.py"]
    pieces, left = english_left(app, page, files, language)
    assert not left, f"English on the guidance request in {language}: {left}"


@pytest.mark.parametrize("language", ["fi", "fr"])
def test_the_author_is_refused_the_receipt_in_their_language(kit, language):
    from pair_kit import raise_concern

    pair, mentor, mentee = kit.pair()
    _, url = raise_concern(kit, pair, mentor)
    mentor.locale = language
    db.session.commit()
    response = kit.post(mentor, f"{url}/seen", status=403)
    assert ONLY_THE_OTHER not in re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.mark.parametrize("language", ["fi", "fr"])
def test_the_programme_counts_are_named_in_the_admins_language(app, kit, make_user, language):
    admin = make_user(roles=("member", "admin"))
    admin.locale = language
    db.session.commit()
    page = kit.get(admin, "/p/pair_spaces/admin/programme").get_data(as_text=True)
    assert not [label for label in PROGRAMME_LABELS if label in page]
    files = [
        "templates/base.html",
        "plugins/pair_spaces/forum_pair_spaces/templates/pair_spaces/programme.html",
    ]
    pieces, left = english_left(app, page, files, language)
    assert not left, f"English on the programme in {language}: {left}"
    # (the CSV is data: its measure names stay as they are, whatever the reader's language)
    csv = kit.get(admin, "/p/pair_spaces/admin/programme.csv").get_data(as_text=True)
    assert all(label in csv for label in PROGRAMME_LABELS)
