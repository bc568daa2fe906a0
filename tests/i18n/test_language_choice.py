"""Which language a page is served in: the member's setting, else the guest's cookie, else
Accept-Language, else FORUM_DEFAULT_LOCALE; the footer switcher; the page cache per language."""

import re

import pytest

from forum.extensions import db
from forum.kernel.locales import negotiate

ORIGIN = {"Origin": "http://localhost"}


def html_lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


@pytest.mark.parametrize(
    ("in_url", "chosen", "cookie", "accept", "expected"),
    [
        (None, None, None, None, "en"),
        (None, None, None, "fi-FI,fi;q=0.9,en;q=0.5", "fi"),
        (None, None, None, "de-DE,fr-CA;q=0.8", "fr"),
        (None, None, "fr", "fi", "fr"),
        (None, "fi", "fr", "en", "fi"),
        ("fr", "fi", None, None, "fr"),
        (None, None, "xx", "de", "en"),
    ],
)
def test_negotiation_order(in_url, chosen, cookie, accept, expected):
    assert negotiate(in_url, chosen, cookie, accept, "en") == expected


def test_accept_language_sets_html_lang(client, make_characteristic):
    make_characteristic(title="Trust")
    assert html_lang(client.get("/", headers={"Accept-Language": "fi"}).text) == "fi"
    assert html_lang(client.get("/", headers={"Accept-Language": "de"}).text) == "en"


def test_site_default_when_the_browser_asks_for_none(make_app):
    app = make_app(FORUM_DEFAULT_LOCALE="fr")
    assert html_lang(app.test_client().get("/").text) == "fr"


def test_member_setting_wins_over_the_browser(client, make_user, login_as):
    member = make_user(locale="fi")
    login_as(client, member)
    page = client.get("/", headers={"Accept-Language": "fr"}).text
    assert html_lang(page) == "fi"


def test_hreflang_alternates_name_every_language(client):
    page = client.get("/").text
    for code in ("en", "fi", "fr"):
        assert re.search(rf'<link rel="alternate" hreflang="{code}" href="[^"]+lang={code}"', page)
    assert html_lang(client.get("/?lang=fr").text) == "fr"


def test_switcher_sets_a_cookie_and_goes_back(client):
    page = client.get("/").text
    assert 'action="/language"' in page and 'name="locale"' in page
    response = client.post("/language", data={"locale": "fi", "next": "/?x=1"}, headers=ORIGIN)
    assert response.status_code == 303 and response.headers["Location"] == "/?x=1"
    assert "locale=fi" in response.headers["Set-Cookie"]
    assert html_lang(client.get("/").text) == "fi"


def test_switcher_refuses_forgeries_and_unknown_languages(client):
    assert client.post("/language", data={"locale": "fi"}).status_code == 400
    foreign = {"Origin": "https://evil.example"}
    assert client.post("/language", data={"locale": "fi"}, headers=foreign).status_code == 403
    assert client.post("/language", data={"locale": "xx"}, headers=ORIGIN).status_code == 400
    off_site = client.post(
        "/language", data={"locale": "fr", "next": "https://evil.example/"}, headers=ORIGIN
    )
    assert off_site.headers["Location"] == "/"


def test_a_members_choice_is_saved_on_the_account(client, make_user, login_as):
    member = make_user()
    login_as(client, member)
    client.post("/language", data={"locale": "fr"}, headers=ORIGIN)
    db.session.refresh(member)
    assert member.locale == "fr"


class TestPageCachePerLanguage:
    @pytest.fixture
    def app_config(self, tmp_path):
        return {"FORUM_PAGE_CACHE": True, "FORUM_PAGE_CACHE_DIR": str(tmp_path / "pages")}

    def test_each_language_gets_its_own_cached_page(self, app, make_characteristic):
        make_characteristic(title="Trust")
        finnish, french = app.test_client(), app.test_client()
        finnish.set_cookie("locale", "fi")
        french.set_cookie("locale", "fr")
        assert finnish.get("/").headers["X-Page-Cache"] == "miss"
        assert french.get("/").headers["X-Page-Cache"] == "miss"
        fi_hit, fr_hit = finnish.get("/"), french.get("/")
        assert fi_hit.headers["X-Page-Cache"] == fr_hit.headers["X-Page-Cache"] == "hit"
        assert html_lang(fi_hit.text) == "fi" and html_lang(fr_hit.text) == "fr"
        assert "Kieli" in fi_hit.text and "Langue" in fr_hit.text

    def test_accept_language_is_part_of_the_key(self, app):
        client = app.test_client()
        client.get("/", headers={"Accept-Language": "fi"})
        assert client.get("/", headers={"Accept-Language": "fr"}).headers["X-Page-Cache"] == "miss"
        assert "Accept-Language" in client.get("/").headers["Vary"]
