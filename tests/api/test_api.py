"""The JSON API answers what its OpenAPI document says, through the one visibility policy."""

import pytest

from forum.api.models import ApiToken
from forum.api.tokens import create_token, digest
from forum.discussion.models import Comment
from forum.extensions import db

READS = [
    "/api/v1/",
    "/api/v1/series",
    "/api/v1/series/kmc",
    "/api/v1/characteristics",
    "/api/v1/characteristics?series=kmc",
    "/api/v1/characteristics/trust",
    "/api/v1/characteristics/trust/parts",
    "/api/v1/characteristics/trust/comments",
    "/api/v1/experts",
    "/api/v1/experts/demo_expert",
    "/api/v1/experts/demo_expert/parts",
    "/api/v1/search?q=heron",
    "/api/v1/search?q=heron&kind=comment&characteristic=trust",
]
MISSING = [
    "/api/v1/series/nope",
    "/api/v1/characteristics/nope",
    "/api/v1/characteristics/nope/parts",
    "/api/v1/characteristics/nope/comments",
    "/api/v1/parts/999999",
    "/api/v1/comments/999999",
    "/api/v1/experts/reader",
    "/api/v1/experts/nobody/parts",
    "/api/v1/characteristics/trust/comments?page=9",
    "/api/v1/series?page=2",
]
BAD = [
    "/api/v1/series?page=x",
    "/api/v1/series?per_page=1000",
    "/api/v1/search",
    "/api/v1/search?q=x&kind=nope",
    "/api/v1/characteristics/trust/parts?per_page=0",
]


def _index(world):
    from forum.kernel.events import emit

    for obj in (world["part"], world["comment"], world["guest"]):
        emit("content_published", content=obj)
    db.session.commit()


def test_every_documented_read_validates(world, client, openapi):
    _index(world)
    for path in READS + [
        f"/api/v1/parts/{world['part'].id}",
        f"/api/v1/comments/{world['comment'].id}",
    ]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.get_json())
        openapi.check("GET", path, response)
    for path in MISSING:
        response = client.get(path)
        assert response.status_code == 404, path
        assert openapi.check("GET", path, response)["status"] == 404
    for path in BAD:
        response = client.get(path)
        assert response.status_code == 400, path
        openapi.check("GET", path, response)


def test_every_api_route_is_documented(app, openapi):
    import re

    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule)[len("/api/v1") :] or "/"
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1")
    }
    assert routes == set(openapi.document["paths"])


def test_reads_are_public_only(world, client):
    parts = client.get("/api/v1/characteristics/trust/parts").get_json()
    assert [p["id"] for p in parts["data"]] == [world["part"].id]
    comments = client.get("/api/v1/characteristics/trust/comments").get_json()
    assert {c["id"] for c in comments["data"]} == {world["comment"].id, world["guest"].id}
    assert comments["meta"]["total"] == 2
    for path in (f"/api/v1/parts/{world['future'].id}", f"/api/v1/comments/{world['pending'].id}"):
        assert client.get(path).status_code == 404
    for path in READS:
        assert "apicanary" not in client.get(path).get_data(as_text=True)


def test_part_and_comment_shapes(world, client):
    part = client.get(f"/api/v1/parts/{world['part'].id}").get_json()
    assert part["author"] == {"username": "demo_expert", "name": "Dr Demo"}
    assert part["body_text"] == "Heron words." and "<p>Heron words.</p>" in part["body_html"]
    assert part["links"]["html"].endswith(f"/c/trust/part/{world['part'].part_number}")
    guest = client.get(f"/api/v1/comments/{world['guest'].id}").get_json()
    assert guest["author"] is None and guest["guest_name"] == "Visitor"
    ch = client.get("/api/v1/characteristics/trust").get_json()
    assert ch["prompts"] == ["What does trust mean to you?", "How is it built?"]
    assert ch["series"] == "kmc"


def test_pagination_links(world, make_comment, client, openapi):
    for i in range(4):
        make_comment(characteristic=world["ch"], body=f"more {i}")
    first = openapi.check(
        "GET",
        "/api/v1/characteristics/trust/comments?per_page=2",
        client.get("/api/v1/characteristics/trust/comments?per_page=2"),
    )
    assert first["meta"] == {"page": 1, "per_page": 2, "total": 6, "pages": 3}
    assert first["links"]["prev"] is None
    seen = [c["id"] for c in first["data"]]
    url = first["links"]["next"]
    while url:
        page = client.get(url.replace("http://localhost", "")).get_json()
        seen += [c["id"] for c in page["data"]]
        url = page["links"]["next"]
    assert len(seen) == len(set(seen)) == 6
    assert page["links"]["prev"] and "page=2" in page["links"]["prev"]


def _post(client, token, body, **headers):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.post("/api/v1/characteristics/trust/comments", json=body, headers=headers)


def test_token_can_post_and_revoked_token_cannot(world, client, openapi, make_user):
    user = make_user("scripter", trusted_override=True)
    _token, raw = create_token(user, "test script")
    db.session.commit()
    response = _post(client, raw, {"body": "Posted *through* the API."})
    assert response.status_code == 201, response.get_json()
    created = openapi.check("POST", "/api/v1/characteristics/trust/comments", response)
    assert created["status"] == "approved" and created["author"]["username"] == "scripter"
    assert response.headers["Location"].endswith(f"/api/v1/comments/{created['id']}")
    stored = db.session.get(Comment, created["id"])
    assert stored.author_id == user.id and "<em>through</em>" in stored.body_html
    assert db.session.query(ApiToken).one().last_used_at is not None

    client.post("/account/tokens/1/revoke")  # anonymous: refused, token unchanged
    from forum.api.tokens import revoke_token

    assert revoke_token(user, db.session.query(ApiToken).one().id)
    db.session.commit()
    refused = _post(client, raw, {"body": "After revocation."})
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    openapi.check("POST", "/api/v1/characteristics/trust/comments", refused)
    assert db.session.query(Comment).filter_by(body_source="After revocation.").count() == 0


def test_untrusted_member_comment_waits(world, client, make_user):
    user = make_user("newbie")
    _t, raw = create_token(user, "x")
    db.session.commit()
    created = _post(client, raw, {"body": "First words."}).get_json()
    assert created["status"] == "pending"
    assert client.get(f"/api/v1/comments/{created['id']}").status_code == 404  # public: not yet
    mine = client.get(
        f"/api/v1/comments/{created['id']}", headers={"Authorization": f"Bearer {raw}"}
    )
    assert mine.status_code == 200  # its author sees it, through the same policy


def test_token_store_keeps_only_a_hash(make_user):
    user = make_user()
    token, raw = create_token(user, "x")
    db.session.commit()
    assert token.token_hash == digest(raw) and raw not in token.token_hash


@pytest.mark.parametrize(
    "headers,status",
    [
        ({"Authorization": "Bearer kmc_wrong"}, 401),
        ({"Authorization": "Basic abc"}, 401),
        ({"Authorization": "Bearer "}, 401),
        ({}, 401),
    ],
)
def test_post_needs_valid_credentials(world, client, openapi, headers, status):
    response = client.post(
        "/api/v1/characteristics/trust/comments", json={"body": "x"}, headers=headers
    )
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    openapi.check("POST", "/api/v1/characteristics/trust/comments", response)


@pytest.mark.parametrize(
    "kwargs,status",
    [
        ({"data": "not json", "content_type": "text/plain"}, 415),
        ({"data": "{broken", "content_type": "application/json"}, 400),
        ({"data": "[1, 2]", "content_type": "application/json"}, 400),
        ({"json": {"body": 12}}, 422),
        ({"json": {"body": "   "}}, 422),
        ({"json": {"body": "x", "reply_to": "abc"}}, 422),
        ({"json": {"body": "x", "reply_to": 999999}}, 422),
        ({"json": {"body": "x", "format": "nope"}}, 422),
        ({"data": '{"body": "' + "x" * 70000 + '"}', "content_type": "application/json"}, 413),
    ],
)
def test_bad_bodies_are_clear_4xx(world, client, openapi, make_user, kwargs, status):
    user = make_user()
    _t, raw = create_token(user, "x")
    db.session.commit()
    response = client.post(
        "/api/v1/characteristics/trust/comments",
        headers={"Authorization": f"Bearer {raw}"},
        **kwargs,
    )
    assert response.status_code == status, response.get_json()
    openapi.check("POST", "/api/v1/characteristics/trust/comments", response)


def test_post_to_unknown_characteristic_is_404(world, client, make_user):
    user = make_user()
    _t, raw = create_token(user, "x")
    db.session.commit()
    response = client.post(
        "/api/v1/characteristics/nope/comments",
        json={"body": "x"},
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 404


def test_suspended_member_is_403(world, client, make_user):
    from datetime import timedelta

    from forum.db import utcnow

    user = make_user(suspended_until=utcnow() + timedelta(days=1))
    _t, raw = create_token(user, "x")
    db.session.commit()
    assert _post(client, raw, {"body": "x"}).status_code == 403


def test_session_post_needs_csrf_header(world, make_app, make_user, login_as):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user("sessioner", trusted_override=True)
        client = login_as(app.test_client(), user)
        refused = client.post("/api/v1/characteristics/trust/comments", json={"body": "no token"})
        assert refused.status_code == 400
        assert refused.mimetype == "application/problem+json"
        me = client.get("/api/v1/me").get_json()
        ok = client.post(
            "/api/v1/characteristics/trust/comments",
            json={"body": "with token"},
            headers={"X-CSRFToken": me["csrf_token"]},
        )
        assert ok.status_code == 201, ok.get_json()
        # a bearer token needs no CSRF header even with CSRF on
        _t, raw = create_token(user, "x")
        db.session.commit()
        plain = app.test_client()
        assert _post(plain, raw, {"body": "token only"}).status_code == 201


def test_me_requires_login(client, openapi):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    openapi.check("GET", "/api/v1/me", response)


def test_rate_limit_answers_429_problem(world, make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        statuses = [client.get("/api/v1/series").status_code for _ in range(305)]
    assert statuses[0] == 200 and statuses[-1] == 429
