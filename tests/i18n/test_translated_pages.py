"""The thread, part and comment-form pages (with the layout, nav and footer) are in Finnish and
French with no English left from their strings."""

import html
import json
import re

import pytest

from forum.extensions import db
from forum.notifications.models import Notification
from forum.testing import english_left, visible_text

#: the translated set: these files' strings must not show in English on a fi or fr page
TRANSLATED = [
    "templates/base.html",
    "templates/i18n/_language_switcher.html",
    "templates/series/thread.html",
    "templates/series/part.html",
    "templates/series/_expert_card.html",
    "templates/discussion/_thread_comments.html",
    "templates/discussion/_comment.html",
    "templates/discussion/_comment_main.html",
    "templates/discussion/_form.html",
    "templates/discussion/form_page.html",
    "templates/macros/ui.html",
    "templates/macros/forms.html",
    "forum/discussion/forms.py",
    "templates/feeds/head.html",
    "templates/series/home.html",
    "templates/series/coming_soon.html",
    "templates/series/_part_nav.html",
    "templates/search/search.html",
    "forum/feeds/pages.py",
]


@pytest.fixture
def thread(make_series, make_characteristic, make_part, make_comment, make_user):
    series = make_series(title="Mentoroinnin ominaisuudet")
    trust = make_characteristic(
        series=series, slug="luottamus", title="Luottamus", prompts=("Mitä se tarkoittaa?",)
    )
    expert = make_user("aino", roles=("member", "expert"), display_name="Aino Virtanen")
    make_part(
        trust, author=expert, part_number=1, title="Ensimmäinen", body="Teksti.", language="fi"
    )
    make_part(trust, author=expert, part_number=2, title="Toinen", body="Teksti.", language="fi")
    member = make_user("claire", display_name="Claire")
    first = make_comment(characteristic=trust, author=member, body="Kommentti.")
    make_comment(
        characteristic=trust,
        author=None,
        guest_name="Vieras",
        body="Vastaus.",
        reply_to_id=first.id,
    )
    return trust


@pytest.mark.parametrize("language", ["fi", "fr"])
@pytest.mark.parametrize(
    "path",
    [
        "/c/luottamus",
        "/c/luottamus/part/1",
        "/c/luottamus/part/2",
        "/c/luottamus/comments/new?reply_to=1",
        "/",
        "/coming-soon",
        "/search?q=Teksti",
    ],
)
def test_no_english_left(app, client, thread, language, path):
    client.set_cookie("locale", language)
    response = client.get(path)
    assert response.status_code == 200, path
    pieces, left = english_left(app, response.text, TRANSLATED, language)
    assert pieces > 40  # the set is the real one, not an empty extraction
    context = [
        re.findall(rf".{{0,60}}(?<!\w){re.escape(p)}(?!\w).{{0,60}}", visible_text(response.text))
        for p in left
    ]
    assert not left, f"English on {path} in {language}: {left} {context}"
    assert f'<html lang="{language}">' in response.text


def test_the_english_page_still_reads_english(client, thread):
    page = client.get("/c/luottamus").text
    assert "Expert posts" in page and "Join the discussion" in page and "2 comments" in page


ACCOUNT_FILES = [
    "templates/base.html",
    "templates/accounts/login.html",
    "templates/accounts/register.html",
    "templates/macros/forms.html",
    "forum/accounts/forms.py",
]


@pytest.mark.parametrize("language", ["fi", "fr"])
@pytest.mark.parametrize("path", ["/login", "/register"])
def test_logging_in_and_joining_have_no_english_left(app, client, language, path):
    client.set_cookie("locale", language)
    response = client.get(path)
    assert response.status_code == 200
    pieces, left = english_left(app, response.text, ACCOUNT_FILES, language)
    assert pieces > 30
    assert not left, f"English on {path} in {language}: {left}"


INBOX_FILES = ["templates/base.html", "templates/notifications/inbox.html"]


@pytest.mark.parametrize("language", ["fi", "fr"])
def test_the_notifications_inbox_has_no_english_left(app, login_as, make_user, language):
    member = make_user("claire", locale=language)
    db.session.add(Notification(user_id=member.id, kind="reply", text="Vastaus sinulle", url="/"))
    db.session.commit()
    page = login_as(app.test_client(), member).get("/notifications").get_data(as_text=True)
    assert "Vastaus sinulle" in page
    pieces, left = english_left(app, page, INBOX_FILES, language)
    assert pieces > 15
    assert not left, f"English on the inbox in {language}: {left}"


@pytest.mark.parametrize(
    ("language", "preview"), [("fi", "Esikatselu"), ("fr", "Aperçu en direct")]
)
def test_the_script_reads_its_words_in_the_pages_language(client, thread, language, preview):
    """forum.js writes a few words into pages (the editor's preview, the draft notices): the page
    gives them, translated, as JSON in a meta tag (no inline code: the CSP holds)."""
    client.set_cookie("locale", language)
    page = client.get("/c/luottamus/comments/new").text
    block = re.search(r'<meta name="forum-words" content=\'([^\']*)\'>', page)
    words = json.loads(html.unescape(block.group(1)))
    assert words["Live preview"] == preview and len(words) == 7
    assert all(words.values())
