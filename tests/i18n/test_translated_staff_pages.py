"""The expert's and the moderator's series pages in Finnish and French: writing and scheduling a
part, my parts, a part's history, the calendar and the invitations, with no English left from
their strings. What people wrote (titles, reasons) stays as written."""

import re

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.series.invitations import create_invitation
from forum.testing import english_left

STAFF_FILES = [
    "templates/base.html",
    "templates/macros/forms.html",
    "templates/series/part_form.html",
    "templates/series/my_parts.html",
    "templates/series/history.html",
    "templates/series/calendar.html",
    "templates/series/invitation_new.html",
    "templates/series/invitation_created.html",
    "templates/series/invitation_accept.html",
    "forum/series/forms.py",
    "forum/templating.py",
]


@pytest.fixture
def series(make_characteristic, make_part, make_user):
    trust = make_characteristic(slug="luottamus", title="Luottamus")
    expert = make_user("aino", roles=("member", "expert"), display_name="Aino Virtanen")
    moderator = make_user("mod", roles=("member", "moderator", "admin"))
    make_part(trust, author=expert, part_number=1, title="Ensimmäinen", body="Teksti.")
    rejected = make_part(
        trust,
        author=expert,
        part_number=2,
        title="Toinen",
        status="rejected",
        publish_at=None,
        rejection_reason="Lyhennä hieman.",
        body="Teksti.",
    )
    make_part(
        trust, author=expert, part_number=3, title="Kolmas", publish_at="future", body="Teksti."
    )
    return trust, expert, moderator, rejected


def _no_english(app, page: str, language: str, where: str) -> None:
    pieces, left = english_left(app, page, STAFF_FILES, language)
    assert pieces > 60  # (the real set)
    assert not left, f"English on {where} in {language}: {left}"


@pytest.mark.parametrize("language", ["fi", "fr"])
def test_the_experts_pages_have_no_english_left(app, login_as, series, language):
    trust, expert, _moderator, rejected = series
    expert.locale = language
    db.session.commit()
    client = login_as(app.test_client(), expert)
    for path in ("/parts", "/parts/new", f"/parts/{rejected.id}/edit", "/parts/1/edit"):
        response = client.get(path)
        assert response.status_code == 200, path
        _no_english(app, response.text, language, path)
    mine = client.get("/parts").text
    assert "Lyhennä hieman." in mine  # (the moderator's words, as written)
    assert {"fi": "hylätty", "fr": "refusé"}[language] in mine  # (the stage, translated)


@pytest.mark.parametrize(
    ("language", "saved", "unwritten"),
    [
        ("fi", "Luonnos tallennettu.", "Kirjoita osa ennen kuin lähetät sen."),
        ("fr", "Brouillon enregistré.", "Écrivez la partie avant de la soumettre."),
    ],
)
def test_the_part_editor_answers_in_the_experts_language(
    app, login_as, series, language, saved, unwritten
):
    trust, expert, _moderator, _rejected = series
    expert.locale = language
    db.session.commit()
    client = login_as(app.test_client(), expert)
    form = {
        "characteristic_id": trust.id,
        "part_number": 4,
        "title": "Neljäs",
        "body": "",
        "body_format": "markdown",
        "language": language,
        "submit_review": "1",
    }
    refused = client.post("/parts/new", data=form)
    assert refused.status_code == 422 and unwritten in refused.text
    assert "Neljäs" in refused.text  # (what was typed, kept)
    del form["submit_review"]
    form.update(body="Teksti.", save="1")
    saved_page = client.post("/parts/new", data=form, follow_redirects=True)
    assert saved in saved_page.text
    _no_english(app, saved_page.text, language, "the saved part")
    history = client.get(re.sub(r"/edit$", "/history", saved_page.request.path))
    assert history.status_code == 200
    _no_english(app, history.text, language, "the history")


@pytest.mark.parametrize("language", ["fi", "fr"])
def test_the_moderators_calendar_and_invitations_have_no_english_left(
    app, login_as, series, language
):
    trust, _expert, moderator, _rejected = series
    moderator.locale = language
    db.session.commit()
    client = login_as(app.test_client(), moderator)
    for path in ("/moderation/calendar", "/invitations/new"):
        response = client.get(path)
        assert response.status_code == 200, path
        _no_english(app, response.text, language, path)
    created = client.post(
        "/invitations/new",
        data={
            "email": "uusi@example.org",
            "role": "expert",
            "expires_in_days": 14,
            "characteristic_id": trust.id,
            "part_number": 5,
        },
    )
    assert created.status_code == 200 and "uusi@example.org" in created.text
    _no_english(app, created.text, language, "the new invitation")
    calendar = client.get("/moderation/calendar").text
    assert {"fi": "kutsuttu", "fr": "invité"}[language] in calendar


@pytest.mark.parametrize("language", ["fi", "fr"])
def test_the_invitation_page_greets_the_invitee_in_their_language(app, client, series, language):
    _trust, _expert, moderator, _rejected = series
    _invitation, token = create_invitation(moderator, "kutsuttu@example.org")
    db.session.commit()
    client.set_cookie("locale", language)
    page = client.get(f"/invite/{token}").text
    assert "kutsuttu@example.org" in page
    assert {"fi": "asiantuntija", "fr": "expert"}[language] in page
    _no_english(app, page, language, "the invitation")


def test_an_expert_accepting_in_finnish_keeps_her_zone_and_language(app, client, series):
    """Her browser's zone (guessed by timezone.js) and the language she accepted in become her
    settings: the part editor then reads times in Helsinki and proposes Finnish for the text."""
    _trust, _expert, moderator, _rejected = series
    _invitation, token = create_invitation(moderator, "uusi@example.org")
    db.session.commit()
    headers = {"Accept-Language": "fi"}
    page = client.get(f"/invite/{token}", headers=headers).text
    assert "data-timezone-guess" in page and "js/timezone.js" in page
    accepted = client.post(
        f"/invite/{token}",
        headers=headers,
        data={
            "username": "helmi",
            "password": "Kuusi-kuusi-66-salasana",
            "display_name": "Helmi Järvinen",
            "timezone": "Europe/Helsinki",
        },
    )
    assert accepted.status_code == 302
    helmi = db.session.scalar(select(User).filter_by(username="helmi"))
    assert (helmi.timezone, helmi.locale) == ("Europe/Helsinki", "fi")
    editor = client.get("/parts/new").text
    assert "Europe/Helsinki" in editor
    assert re.search(r'<option selected value="fi">|<option value="fi" selected>', editor)
