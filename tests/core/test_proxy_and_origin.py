"""Behind a reverse proxy, and the site's own origin: FORUM_PROXY_HOPS, FORUM_SERVER_NAME and
FORUM_TRUSTED_HOSTS. A forged Host or X-Forwarded-* header never reaches a budget, a link, a mail
or the shared page cache."""

import pytest
from flask import request, url_for
from sqlalchemy import select

from forum.extensions import db
from forum.notifications.models import OutboxMail

RESET_LIMIT = 5  # /account/reset: 5 POSTs a minute per client address
EVIL = "evil.example"


def ask_reset(client, forwarded_for=None, **headers):
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    return client.post("/account/reset", data={"email": "nobody@example.org"}, headers=headers)


def spend_budget(client, forwarded_for):
    codes = [ask_reset(client, forwarded_for).status_code for _ in range(RESET_LIMIT)]
    assert 429 not in codes
    assert ask_reset(client, forwarded_for).status_code == 429


def test_behind_one_proxy_each_client_address_has_its_own_budget(make_app):
    app = make_app(RATELIMIT_ENABLED=True, FORUM_PROXY_HOPS=1)
    client = app.test_client()
    spend_budget(client, "203.0.113.7")
    assert ask_reset(client, "203.0.113.8").status_code != 429  # another client, another budget
    assert (
        ask_reset(client, "198.51.100.1, 203.0.113.7").status_code == 429
    )  # only the proxy's hop counts


def test_without_proxy_hops_forwarded_for_is_ignored(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    spend_budget(client, "203.0.113.7")
    assert ask_reset(client, "203.0.113.8").status_code == 429  # spoofing the header does not help


def test_behind_a_proxy_the_login_limit_is_per_client_address(make_app):
    app = make_app(RATELIMIT_ENABLED=True, FORUM_PROXY_HOPS=1)
    client = app.test_client()

    def login(name, address):
        return client.post(
            "/login",
            data={"username": name, "password": "wrong"},
            headers={"X-Forwarded-For": address},
        ).status_code

    codes = [
        login(f"name{n}", "203.0.113.7") for n in range(30)
    ]  # many names: only the address limit
    assert 429 not in codes and login("name30", "203.0.113.7") == 429
    assert login("name31", "203.0.113.8") != 429


def test_proxy_hops_give_the_app_the_clients_address_scheme_host_and_prefix(make_app):
    app = make_app(FORUM_PROXY_HOPS=1)
    seen = {}

    @app.get("/_probe")
    def _probe():
        seen.update(addr=request.remote_addr, url=url_for("series.home", _external=True))
        return "ok"

    headers = {
        "X-Forwarded-For": "203.0.113.9",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "forum.example.org",
        "X-Forwarded-Prefix": "/forum",
    }
    assert app.test_client().get("/_probe", headers=headers).status_code == 200
    assert seen == {"addr": "203.0.113.9", "url": "https://forum.example.org/forum/"}


def test_a_forged_host_is_refused_when_trusted_hosts_are_set(make_app):
    app = make_app(TRUSTED_HOSTS=["forum.example.org", ".example.net"])
    client = app.test_client()
    assert client.get("/", headers={"Host": "forum.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "www.example.net"}).status_code == 200
    response = client.get("/", headers={"Host": EVIL})
    assert response.status_code == 400 and EVIL not in response.get_data(as_text=True)


@pytest.mark.parametrize("server_name", ["forum.example.org", "forum.example.org:8443"])
def test_server_name_routes_its_host_and_trusts_only_it(make_app, server_name):
    """Flask 3.1 with SERVER_NAME (no subdomain matching) still routes every page of its host."""
    app = make_app(SERVER_NAME=server_name, PREFERRED_URL_SCHEME="https")
    assert app.config["TRUSTED_HOSTS"] == ["forum.example.org"]
    client = app.test_client()
    for path in ("/", "/search?q=trust", "/feeds/site.atom", "/login", "/p/qa/questions.atom"):
        response = client.get(path, base_url=f"https://{server_name}")
        assert response.status_code == 200, path
    assert client.get("/nowhere", base_url=f"https://{server_name}").status_code == 404
    assert client.get("/", headers={"Host": EVIL}).status_code == 400


def _reset_mail_body(email):
    return db.session.execute(select(OutboxMail.body).where(OutboxMail.to == email)).scalars().all()


def test_a_reset_mail_never_carries_a_forged_forwarded_host(make_app, make_user):
    app = make_app(
        FORUM_PROXY_HOPS=1, SERVER_NAME="forum.example.org", PREFERRED_URL_SCHEME="https"
    )
    make_user("bob")
    client = app.test_client()
    forged = client.post(
        "/account/reset",
        data={"email": "bob@example.org"},
        headers={"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"},
    )
    assert forged.status_code == 400
    assert _reset_mail_body("bob@example.org") == []
    honest = client.post(
        "/account/reset",
        data={"email": "bob@example.org"},
        headers={"X-Forwarded-Host": "forum.example.org", "X-Forwarded-Proto": "https"},
    )
    assert honest.status_code == 302
    [body] = _reset_mail_body("bob@example.org")
    assert "https://forum.example.org/account/reset/" in body and EVIL not in body


def test_a_trusted_alias_host_still_links_to_the_server_name(make_app, make_user):
    app = make_app(
        SERVER_NAME="forum.example.org", TRUSTED_HOSTS=["forum.example.org", "alias.example.org"]
    )
    make_user("bob")
    response = app.test_client().post(
        "/account/reset", data={"email": "bob@example.org"}, headers={"Host": "alias.example.org"}
    )
    assert response.status_code == 302
    [body] = _reset_mail_body("bob@example.org")
    assert "//forum.example.org/account/reset/" in body and "alias.example.org" not in body


def test_without_proxy_hops_a_forwarded_host_never_reaches_a_reset_mail(client, make_user):
    make_user("bob")
    response = client.post(
        "/account/reset", data={"email": "bob@example.org"}, headers={"X-Forwarded-Host": EVIL}
    )
    assert response.status_code == 302
    [body] = _reset_mail_body("bob@example.org")
    assert "/account/reset/" in body and EVIL not in body


def test_mail_built_outside_a_request_links_to_the_server_name(make_app, make_user):
    """Jobs and CLI commands (``flask forum publish-due``, ``send-mail``) have no request: their
    links use FORUM_SERVER_NAME and FORUM_PREFERRED_URL_SCHEME, never ``localhost``."""
    from forum.notifications.services import notify_once

    app = make_app(
        SERVER_NAME="forum.example.org", PREFERRED_URL_SCHEME="https", MAIL_URL="console://"
    )
    with app.app_context():
        user = make_user("watcher")
        notify_once(user.id, "reply", "A reply to your comment", "/c/1")
        db.session.commit()
        [body] = _reset_mail_body(user.email)
    assert "https://forum.example.org/c/1" in body and "localhost" not in body


@pytest.fixture
def cached(make_app, tmp_path):
    return make_app(FORUM_PAGE_CACHE=True, FORUM_PAGE_CACHE_DIR=str(tmp_path / "pages"))


def _cache_state(client, base_url, **headers):
    response = client.get("/", base_url=base_url, headers=headers)
    return response.status_code, response.headers.get("X-Page-Cache")


def test_two_origins_never_share_a_cached_page(cached):
    client = cached.test_client()
    assert _cache_state(client, "http://a.example.org") == (200, "miss")
    assert _cache_state(client, "http://a.example.org") == (200, "hit")
    assert _cache_state(client, "http://b.example.org") == (200, "miss")
    assert _cache_state(client, "https://a.example.org") == (200, "miss")
    assert _cache_state(client, "http://a.example.org/forum") == (200, "miss")  # another prefix


def test_a_forged_host_is_never_answered_from_the_cache(make_app, tmp_path):
    app = make_app(
        FORUM_PAGE_CACHE=True,
        FORUM_PAGE_CACHE_DIR=str(tmp_path / "pages"),
        TRUSTED_HOSTS=["forum.example.org"],
    )
    client = app.test_client()
    assert _cache_state(client, "http://forum.example.org") == (200, "miss")
    assert _cache_state(client, "http://forum.example.org") == (200, "hit")
    assert _cache_state(client, "http://forum.example.org", Host=EVIL) == (400, None)


def test_a_forwarded_host_splits_the_cache_only_behind_a_proxy(make_app, tmp_path):
    app = make_app(
        FORUM_PAGE_CACHE=True, FORUM_PAGE_CACHE_DIR=str(tmp_path / "pages"), FORUM_PROXY_HOPS=1
    )
    client = app.test_client()
    assert _cache_state(client, "http://a.example.org") == (200, "miss")
    assert _cache_state(
        client, "http://a.example.org", **{"X-Forwarded-Host": "b.example.org"}
    ) == (200, "miss")
    assert _cache_state(
        client, "http://z.example.org", **{"X-Forwarded-Host": "b.example.org"}
    ) == (200, "hit")


def test_canonical_share_and_feed_links_use_the_server_name_on_an_alias_host(
    make_app, make_characteristic, make_part
):
    app = make_app(
        SERVER_NAME="forum.example.org",
        PREFERRED_URL_SCHEME="https",
        TRUSTED_HOSTS=["forum.example.org", "alias.example.org"],
    )
    characteristic = make_characteristic()
    part = make_part(characteristic=characteristic)
    slug = characteristic.slug
    client = app.test_client()
    for path in (
        f"/c/{slug}",
        f"/c/{slug}/part/{part.part_number}",
        "/feeds/site.atom",
        f"/feeds/c/{slug}.atom",
    ):
        response = client.get(path, base_url="https://alias.example.org")
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "https://forum.example.org/" in page and "alias.example.org" not in page, path
    page = client.get(f"/c/{slug}", base_url="https://alias.example.org").get_data(as_text=True)
    assert f'<link rel="canonical" href="https://forum.example.org/c/{slug}">' in page
