"""The deploy kit, run as docs/deploy.md sets it up: Debian's nginx with deploy/nginx-forum.conf
in front of two ``gunicorn -c deploy/gunicorn.conf.py`` instances that share one database
(migrated with ``flask db upgrade heads``) and one Redis: PostgreSQL, as two hosts would, or, on
the SQLite run, one SQLite file that both instances on this host open. Every check goes through nginx,
as a reader's browser would; ``X-Upstream`` (added by the test's nginx.conf) names the instance
that answered."""

from __future__ import annotations

import json
import os
import time
import uuid
from contextlib import contextmanager

import pytest
import redis
from nginx import NGINX, Nginx
from servers import ROOT, Browser, Server, request, spare_redis_database

from forum.crypto import new_key
from forum.series.demo import MEMBER
from forum.testing import fresh_postgres_database, run_flask

pytestmark = [pytest.mark.serial, pytest.mark.slow, pytest.mark.nginx]

HOST = "forum.example.org"
REDIS_DB = 13  # this test's own Redis database, emptied before and after
THREAD = "/c/confidentiality"


class Site:
    """nginx in front of two gunicorn instances."""

    def __init__(self, nginx: Nginx, servers: list[Server]):
        self.nginx, self.servers = nginx, servers
        self.upstreams = {f"127.0.0.1:{s.port}" for s in servers}

    def browser(self, source: str) -> Browser:
        """A client of its own: it connects to nginx from the loopback address ``source``."""
        return Browser(self.nginx.port, host=HOST, source=source)

    def server_for(self, upstream: str) -> Server:
        return next(s for s in self.servers if f"127.0.0.1:{s.port}" == upstream)


@pytest.fixture(scope="module")
def redis_url():
    with spare_redis_database(REDIS_DB) as url:
        yield url


@contextmanager
def shared_database(database_url: str, tmp):
    """A fresh database both instances use: PostgreSQL, else a SQLite file on this host."""
    if database_url.startswith("postgresql"):
        with fresh_postgres_database(database_url, prefix="forum_deploy") as url:
            yield url
    else:
        yield f"sqlite:///{tmp / 'shared.sqlite3'}"


@pytest.fixture(scope="module")
def site(database_url, redis_url, tmp_path_factory):
    if not NGINX.exists():
        pytest.skip(f"no nginx at {NGINX} (make nginx-deps installs Debian's)")
    tmp = tmp_path_factory.mktemp("deploy")
    with shared_database(database_url, tmp) as url:
        env = {
            **os.environ,
            "FLASK_APP": "forum",
            "DATABASE_URL": url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": uuid.uuid4().hex,
            "FORUM_PAIR_KEY": new_key(),
            "FORUM_INSTANCE_PATH": str(tmp / "instance-cli"),
            "FORUM_PROXY_HOPS": "1",
            "FORUM_TRUSTED_HOSTS": HOST,
            "FORUM_SERVER_NAME": HOST,
            "FORUM_PREFERRED_URL_SCHEME": "http",
            "FORUM_RATELIMIT": "1",
        }
        env.pop("FLASK_DEBUG", None)
        run_flask(env, "db", "upgrade", "heads")
        run_flask(env, "forum", "seed-demo")
        shared = {
            k: env[k]
            for k in (
                "REDIS_URL",
                "SECRET_KEY",
                "FORUM_PAIR_KEY",
                "FORUM_PROXY_HOPS",
                "FORUM_TRUSTED_HOSTS",
                "FORUM_SERVER_NAME",
                "FORUM_PREFERRED_URL_SCHEME",
                "FORUM_RATELIMIT",
            )
        }
        servers = [
            Server(
                url,
                tmp,
                workers=2,
                config=ROOT / "deploy" / "gunicorn.conf.py",
                host=HOST,
                **shared,
            )
            for _ in range(2)
        ]
        nginx = None
        try:
            for server in servers:
                server.launch()
            for server in servers:
                server.wait_ready()
            nginx = Nginx(tmp / "nginx", [s.port for s in servers], HOST).start()
            yield Site(nginx, servers)
        finally:
            if nginx is not None:
                nginx.stop()
            for server in servers:
                server.stop()


def _from_both(site: Site, browser: Browser, path: str, tries: int = 8) -> dict:
    """GET ``path`` until each instance has answered once; {upstream: (status, headers, body)}."""
    answers = {}
    for _ in range(tries):
        status, headers, body = browser.get(path)
        answers[headers["x-upstream"]] = (status, headers, body)
        if set(answers) == site.upstreams:
            break
    assert set(answers) == site.upstreams, f"nginx sent {path} to {set(answers)} only"
    return answers


def _log_in(browser: Browser, username: str, password: str) -> tuple[int, dict, str]:
    token = browser.csrf_token("/login")
    return browser.post("/login", {"username": username, "password": password, "csrf_token": token})


def test_pages_are_served_through_nginx_by_both_instances(site):
    reader = site.browser("127.0.0.2")
    for path in ("/", THREAD, f"{THREAD}/part/1", "/login", "/static/css/forum.css"):
        for upstream, (status, _headers, _body) in _from_both(site, reader, path).items():
            assert status == 200, (path, upstream, status)
    status, headers, body = reader.get("/")
    assert "Key Mentorship Characteristics" in body
    assert "nginx/" not in headers.get("server", "")  # server_tokens off


def test_a_login_on_one_instance_is_honoured_by_the_other(site):
    member = site.browser("127.0.0.3")
    status, headers, _body = _log_in(member, *MEMBER[::2])
    assert status == 302
    logged_in_by = headers["x-upstream"]
    answers = _from_both(site, member, "/")
    other = (site.upstreams - {logged_in_by}).pop()
    assert answers[other][0] == 200 and "Log out" in answers[other][2]


def test_a_published_comment_is_seen_by_readers_of_both_instances(site):
    before = _from_both(site, site.browser("127.0.0.4"), THREAD)  # both have the thread cached
    canary = f"Seen from both hosts {uuid.uuid4().hex}"
    assert all(canary not in body for _s, _h, body in before.values())
    member = site.browser("127.0.0.5")
    assert _log_in(member, *MEMBER[::2])[0] == 302
    token = member.csrf_token(f"{THREAD}/comments/new")
    status, _headers, _body = member.post(
        f"{THREAD}/comments", {"csrf_token": token, "body": canary, "body_format": "markdown"}
    )
    assert status in (302, 303)
    for upstream, (status, _h, body) in _from_both(site, site.browser("127.0.0.6"), THREAD).items():
        assert status == 200 and canary in body, (
            f"{upstream} serves the thread without the new comment"
        )


def test_rate_limits_count_per_client_address_across_both_instances(site, redis_url):
    """30 log-in attempts a minute per client address, counted in the shared Redis whichever
    instance answers; nginx appends the client's address to X-Forwarded-For, and the app
    (FORUM_PROXY_HOPS=1) keys on it."""
    first, second = site.browser("127.0.0.7"), site.browser("127.0.0.8")
    store = redis.Redis.from_url(redis_url)
    store.flushdb()  # counts start from zero, whichever tests logged in before
    token = first.csrf_token("/login")
    try:
        statuses = [
            first.post(
                "/login",
                {"username": f"nobody{i}", "password": "wrong guess!!", "csrf_token": token},
            )[0]
            for i in range(31)
        ]
        assert statuses == [422] * 30 + [429], statuses
        # a forged X-Forwarded-For does not make the limited client someone else
        forged = first.post(
            "/login",
            {"username": "nobody-forged", "password": "wrong guess!!", "csrf_token": token},
            headers={"X-Forwarded-For": "198.51.100.7"},
        )
        assert forged[0] == 429
        # another client address has its own count (needs FORUM_PROXY_HOPS: without it, every
        # request comes from nginx's 127.0.0.1)
        token = second.csrf_token("/login")
        assert (
            second.post(
                "/login", {"username": "nobody", "password": "wrong guess!!", "csrf_token": token}
            )[0]
            == 422
        )
    finally:
        store.flushdb()  # the other tests log in from these addresses too
        store.close()


def test_a_forged_host_is_refused(site):
    # nginx's catch-all server refuses any host but the forum's
    assert request(site.nginx.port, "GET", "/", {"Host": "evil.example"})[0] == 400
    # and the app itself (FORUM_TRUSTED_HOSTS), should a proxy pass any Host along
    for server in site.servers:
        assert request(server.port, "GET", "/", {"Host": "evil.example"})[0] == 400


def test_readyz_and_healthz_through_nginx(site):
    reader = site.browser("127.0.0.9")
    for path in ("/readyz", "/healthz"):
        for upstream, (status, headers, body) in _from_both(site, reader, path).items():
            assert status == 200, (path, upstream, status, body[:300])
            assert headers["content-type"].startswith("application/json")
            json.loads(body)


def test_access_log_is_json_lines_with_the_request_id(site):
    reader = site.browser("127.0.0.10")
    status, headers, _body = reader.get("/login?next=/secret-query")
    assert status == 200
    assert headers.get("x-request-id"), "the app echoes a request id"
    log = site.server_for(headers["x-upstream"]).log
    deadline = time.monotonic() + 10  # gunicorn writes its access line after the response
    while True:
        lines = [
            json.loads(line)
            for line in log.read_text().splitlines()
            if line.startswith('{"log": "access"')
        ]
        mine = [line for line in lines if line["path"] == "/login" and line["status"] == "200"]
        if (
            headers["x-request-id"] in {line["request_id"] for line in mine}
            or time.monotonic() > deadline
        ):
            break
        time.sleep(0.1)
    assert mine and all("secret-query" not in json.dumps(line) for line in lines)
    assert headers["x-request-id"] in {line["request_id"] for line in mine}
