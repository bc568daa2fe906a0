"""Several processes, one site: two gunicorn instances on one database and one Redis behave as
one forum for rate limits, plugin enable/disable and sessions."""

from __future__ import annotations

import pytest
from servers import Browser, Server, session_cookie, spare_redis_database

from forum.extensions import db

#: Two gunicorn instances on one database and one Redis: timing-sensitive, so never beside other tests.
pytestmark = pytest.mark.serial  # run alone, after the parallel run (see Makefile)

PASSWORD = "correct horse battery"


@pytest.fixture
def redis_url(database_url):
    """A spare Redis database (11 for PostgreSQL runs, 12 for SQLite runs), emptied before and after."""
    with spare_redis_database(11 if database_url.startswith("postgresql") else 12) as url:
        yield url


@pytest.fixture
def pair_of_servers(app, database_url, redis_url, tmp_path):
    db.session.commit()
    servers = [
        Server(database_url, tmp_path, workers=2, REDIS_URL=redis_url, FORUM_RATELIMIT="1").start()
        for _ in range(2)
    ]
    yield servers
    for server in servers:
        server.stop()


def _login(browser, username, password=PASSWORD):
    token = browser.csrf_token("/login")
    return browser.post("/login", {"username": username, "password": password, "csrf_token": token})


@pytest.mark.slow
def test_two_instances_behave_as_one_site(make_user, pair_of_servers):
    a, b = pair_of_servers
    make_user("victim", password=PASSWORD)
    db.session.commit()

    # a session made by one instance works on the other (and logging out on it ends it)
    browser = Browser(a.port)
    assert _login(browser, "victim")[0] == 302
    browser.port = b.port
    assert "Log out" in browser.get("/")[2]

    # login attempts on one account count across both instances: 10 per minute in all (the
    # successful login above was the first)
    statuses = []
    for i in range(12):
        attacker = Browser(a.port if i % 2 else b.port)
        statuses.append(_login(attacker, "victim", "wrong guess!!")[0])
    assert statuses[:9] == [422] * 9 and statuses[9:] == [429] * 3, statuses


@pytest.mark.slow
def test_plugin_switch_on_one_instance_is_honoured_by_the_other(app, make_user, pair_of_servers):
    a, b = pair_of_servers
    admin = make_user(
        "admin2", roles=("member", "admin"), password=PASSWORD, totp_secret="JBSWY3DPEHPK3PXP"
    )  # enrolled; the session is the one after 2FA
    cookies = session_cookie(app, admin)
    db.session.commit()
    admin_a, reader_b = Browser(a.port, cookies), Browser(b.port)
    assert reader_b.get("/p/qa/unanswered")[0] == 200
    token = admin_a.csrf_token("/admin/plugins")
    assert admin_a.post("/admin/plugins/qa/disable", {"csrf_token": token})[0] == 302
    assert reader_b.get("/p/qa/unanswered")[0] == 404
    admin_b = Browser(b.port, admin_a.cookies)
    assert admin_b.post("/admin/plugins/qa/enable", {"csrf_token": token})[0] == 302
    assert Browser(a.port).get("/p/qa/unanswered")[0] == 200
