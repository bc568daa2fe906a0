"""Every id-bearing route in ``app.url_map``, replayed by every role with its own and neighbouring
ids: refused (403/404, or a login redirect for anonymous) with no state change; private pair
spaces answer 404 to outsiders; GET never changes state; forged requests are refused."""

from __future__ import annotations

import pytest
from cast import ROLES, Cast, changed, snapshot

from forum.routing import IdConverter

PAIR_PARTIES = {1: {"mentor", "mentee"}, 2: {"other_mentor"}}
STAFF = {"moderator", "admin"}
LOGGED_IN = set(ROLES) - {"anonymous"}
FIXED = {
    "slug": "trust",
    "username": "member1",
    "kind": "comment",
    "what": "start",
    "change": "disable",
    "name": "qa",
    "token": "no-such-token",
}
ACTIONS = {"moderation.content_action": "hide", "moderation.lock": "lock", "qa.moderate": "approve"}
#: Form data that would make a careless handler change something.
FORM = {
    "body": "forged",
    "title": "forged",
    "reason": "forged",
    "decision": "approve",
    "kind": "agree",
    "status": "done",
    "note": "forged",
    "username": "member2",
    "role": "mentor",
    "issue": "x",
    "responsibilities": "x",
    "proposal": "x",
    "what": "x",
    "to_whom": "x",
    "disclose_on": "2099-01-01",
    "text": "x",
    "purpose": "x",
    "supervisor": "super1",
    "summary": "x",
    "held_on": "2026-01-01",
    "value": "1",
    "direction": "up",
    "trust": "grant",
    "until": "2099-01-01",
}
REFUSED = {400, 401, 403, 404, 405, 409, 410, 422}


@pytest.fixture
def cast(app, make_user, make_characteristic, make_part, make_comment, login_as):
    return Cast(app, make_user, make_characteristic, make_part, make_comment, login_as)


def id_args(rule) -> list[str]:
    return [name for name, conv in rule._converters.items() if isinstance(conv, IdConverter)]


def routes(app, method):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if method in rule.methods and id_args(rule) and not rule.endpoint.endswith("static"):
            yield rule


def id_combos(rule, neighbours=True) -> list[tuple[int, ...]]:
    """Own (1) and neighbouring (2) ids; with two ids, also one pair's id with the other's object."""
    n = len(id_args(rule))
    combos = [(1,) * n]
    if neighbours or rule.endpoint.startswith("pair_spaces."):
        combos.append((2,) * n)
    if n == 2:
        combos += [(1, 2), (2, 1)]
    return combos


def build(app, rule, ids) -> str:
    values = dict(zip(id_args(rule), ids, strict=True))
    for arg in rule.arguments - values.keys():
        values[arg] = (
            ACTIONS.get(rule.endpoint, FIXED.get(arg, "x")) if arg == "action" else FIXED[arg]
        )
    with app.test_request_context():
        return app.url_map.bind("localhost").build(rule.endpoint, values)


def may_change(endpoint: str, role: str, ids: tuple[int, ...]) -> bool:
    """Whether ``role`` may legitimately change state through ``endpoint`` with these ids."""
    if endpoint.startswith("pair_spaces."):
        if endpoint in ("pair_spaces.guidance_thread", "pair_spaces.close_guidance"):
            return role == "supervisor" or (role in PAIR_PARTIES[ids[0]])
        return role in PAIR_PARTIES.get(ids[0], set()) and len(set(ids)) == 1
    if (
        endpoint.startswith(("moderation.", "qa.moderate", "admin."))
        and endpoint != "moderation.flag"
    ):
        return role in STAFF
    if endpoint in ("moderation.flag", "qa.vote", "qa.post_answer"):
        return role in LOGGED_IN
    if endpoint in ("discussion.edit", "discussion.delete"):
        return role == "member" or (
            endpoint == "discussion.delete" and role in STAFF
        )  # comments 1, 2
    if endpoint == "qa.accept":
        return role == "member" or role in STAFF
    if endpoint == "series.edit_part":
        return role == "expert"
    if endpoint == "notifications.read_one":
        return role in LOGGED_IN  # their own notification may carry this id
    return False


def _private(rule, ids, role) -> bool:
    """A pair space this role is no party to: it must look like nothing is there (404)."""
    return (
        rule.endpoint.startswith("pair_spaces.")
        and "pair_id" in rule.arguments
        and role not in PAIR_PARTIES.get(ids[0], set())
    )


@pytest.mark.slow
def test_get_walk_every_role_every_id(app, cast):
    """No 5xx, private spaces 404 to outsiders, and not one row changes while GETting it all."""
    before = snapshot()
    failures = []
    for rule in routes(app, "GET"):
        for ids in id_combos(rule):
            url = build(app, rule, ids)
            for role in ROLES:
                response = cast.client(role).get(url)
                status = response.status_code
                if status >= 500 or (
                    _private(rule, ids, role)
                    and status != 404
                    and not (role == "anonymous" and _to_login(response))
                ):
                    failures.append((role, url, status))
    assert not failures, failures[:20]
    assert not changed(before, snapshot())
    # the walk reached real objects: the parties do see their space
    assert cast.client("mentor").get("/p/pair_spaces/1").status_code == 200
    assert cast.client("other_mentor").get("/p/pair_spaces/2/messages/2/edit").status_code == 200


@pytest.mark.slow
def test_post_walk_every_role_every_id(app, cast):
    """Every POST a role has no business making is refused and leaves every table as it was.

    The snapshot is compared once per route (all its refused requests), to keep the walk fast.
    """
    failures = []
    for rule in routes(app, "POST"):
        before, sent = snapshot(), []
        for ids in id_combos(rule, neighbours=False):
            url = build(app, rule, ids)
            for role in ROLES:
                if may_change(rule.endpoint, role, ids):
                    continue
                response = cast.client(role).post(url, data=FORM)
                status = response.status_code
                sent.append((role, url, status))
                to_login = role == "anonymous" and _to_login(response)
                if not (status in REFUSED or to_login):
                    failures.append((role, url, status))
                elif _private(rule, ids, role) and status != 404 and not to_login:
                    failures.append((role, url, status, "should look absent"))
        diff = changed(before, snapshot())
        if diff:
            failures.append((rule.rule, diff, sent))
    assert not failures, failures[:20]


def _to_login(response) -> bool:
    """Anonymous visitors are sent to log in, for any id, real or not: nothing is revealed."""
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


def test_anonymous_login_redirect_reveals_nothing(cast):
    client = cast.client("anonymous")
    real, absent = client.get("/p/pair_spaces/1"), client.get("/p/pair_spaces/999")
    assert real.status_code == absent.status_code
    assert real.headers.get("Location", "").replace("1", "N") == absent.headers.get(
        "Location", ""
    ).replace("999", "N")


def all_post_urls(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" in rule.methods and not rule.endpoint.endswith("static"):
            yield build(app, rule, (1,) * len(id_args(rule)))


@pytest.fixture
def csrf_app(cast, make_app):
    return make_app(WTF_CSRF_ENABLED=True)


#: POSTs whose proof is not a CSRF token, and their answer here: the one-click unsubscribe
#: (RFC 8058: a mail client posts it, with no page) carries its mailed token; a made-up one is 404.
CSRF_EXEMPT = {"/notifications/unsubscribe/no-such-token": 404}


@pytest.mark.slow  # every POST route, for several roles or headers: over a second
def test_every_post_needs_a_csrf_token(csrf_app, cast, login_as):
    """400 before anything else, for every role, even where the id or the login would refuse."""
    before, failures = snapshot(), []
    for role in ("mentor", "admin", "anonymous"):
        client = csrf_app.test_client()
        if role != "anonymous":
            login_as(client, cast.users[role])
        for url in all_post_urls(csrf_app):
            for data in (FORM, FORM | {"csrf_token": "forged"}):
                response = client.post(url, data=data)
                if response.status_code != CSRF_EXEMPT.get(url, 400):
                    failures.append((role, url, response.status_code))
    assert not failures, failures
    assert not changed(before, snapshot())


@pytest.mark.slow  # every POST route, for several roles or headers: over a second
def test_foreign_origin_refused_on_every_post(app, cast):
    before, failures = snapshot(), []
    client = cast.client("admin")
    for header in (
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
        {"Origin": "http://localhost.evil.example"},
    ):
        for url in all_post_urls(app):
            response = client.post(url, data=FORM, headers=header)
            if response.status_code != 403:
                failures.append((header, url, response.status_code))
    assert not failures, failures
    assert not changed(before, snapshot())


def test_same_origin_and_absent_origin_still_work(app, make_user):
    make_user("olga", password="correct horse battery")
    for headers in (
        {"Origin": "http://localhost"},
        {"Referer": "http://localhost/login"},
        {},
        {"Origin": "https://localhost"},
    ):  # TLS ended by a proxy: the app sees http
        client = app.test_client()
        response = client.post(
            "/login",
            data={"username": "olga", "password": "correct horse battery"},
            headers=headers,
        )
        assert response.status_code == 302, headers
