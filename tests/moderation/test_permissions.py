"""Every moderator action is refused to members and experts, including forged direct POSTs."""

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.extensions import db


@pytest.fixture
def world(make_comment, make_part, make_characteristic, make_user):
    thread = make_characteristic()
    target = make_user("target")
    return {
        "comment": make_comment(characteristic=thread, author=target, status="pending"),
        "part": make_part(characteristic=thread, status="submitted", publish_at=None),
        "thread": thread,
        "target": target,
    }


def routes(w):
    c, p, t, u = w["comment"].id, w["part"].id, w["thread"].id, w["target"].username
    return [
        ("GET", "/moderation/queue", None),
        ("POST", "/moderation/queue", {"item": [f"comment:{c}"], "action": "approve"}),
        ("POST", "/moderation/queue", {"decide": f"reject:part:{p}", f"reason-part:{p}": "x"}),
        ("GET", f"/moderation/comments/{c}/edit", None),
        ("POST", f"/moderation/comments/{c}/edit", {"body": "changed"}),
        ("GET", f"/moderation/content/comment/{c}", None),
        ("POST", f"/moderation/content/comment/{c}/hide", {"reason": "x"}),
        ("POST", f"/moderation/content/comment/{c}/unhide", {"reason": "x"}),
        ("POST", f"/moderation/content/part/{p}/delete", {"reason": "x"}),
        ("POST", f"/moderation/content/part/{p}/restore", {"reason": "x"}),
        ("POST", f"/moderation/content/part/{p}/keep", {"reason": "x"}),
        ("GET", "/moderation/threads", None),
        ("POST", f"/moderation/threads/{t}/lock", {"reason": "x"}),
        ("POST", f"/moderation/threads/{t}/unlock", {"reason": "x"}),
        ("GET", f"/moderation/users/{u}", None),
        (
            "POST",
            f"/moderation/users/{u}/suspend",
            {"until": "2099-01-01", "reason": "x", "confirm": "y"},
        ),
        ("POST", f"/moderation/users/{u}/unsuspend", {"reason": "x"}),
        ("POST", f"/moderation/users/{u}/trust", {"trust": "grant"}),
        ("GET", "/moderation/members", None),
        (
            "POST",
            f"/moderation/users/{u}/roles",
            {"roles-role": "moderator", "roles-change": "grant", "roles-reason": "x"},
        ),
        ("POST", f"/moderation/users/{u}/two-factor-reset", {"reason": "x", "confirm": "y"}),
        ("GET", "/admin/audit", None),
    ]


def test_every_moderation_route_is_in_the_list(app, world):
    """A new moderation route must be added to ``routes`` (and so to the refusal tests)."""
    listed = {
        app.url_map.bind("localhost").match(path, method=method)[0]
        for method, path, _ in routes(world)
    }
    registered = {
        r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("moderation.")
    }
    assert registered - listed == {"moderation.flag"}  # the one route for members


@pytest.mark.parametrize("roles", [("member",), ("member", "expert"), ("member", "supervisor")])
def test_refused_to_members_and_experts(client, login_as, make_user, world, roles):
    login_as(client, make_user("someone", roles=roles))
    for method, path, data in routes(world):
        response = client.open(path, method=method, data=data)
        assert response.status_code == 403, (method, path, response.status_code)
    assert db.session.execute(select(func.count()).select_from(AuditEntry)).scalar() == 0
    db.session.refresh(world["comment"])
    db.session.refresh(world["target"])
    assert world["comment"].status == "pending" and world["comment"].hidden_at is None
    assert world["target"].suspended_until is None and world["target"].trusted_override is None


def test_anonymous_is_sent_to_log_in(client, world):
    for method, path, data in routes(world):
        response = client.open(path, method=method, data=data)
        assert response.status_code == 302, (method, path)
        assert "/login" in response.headers["Location"]


def test_audit_log_is_for_admins_not_moderators(client, login_as, moderator, admin):
    login_as(client, moderator)
    assert client.get("/admin/audit").status_code == 403
    login_as(client, admin)
    assert client.get("/admin/audit").status_code == 200


def test_forged_post_without_csrf_token_is_refused(make_app, make_user, login_as, make_comment):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        moderator = make_user("mod", roles=("member", "moderator"))
        comment = make_comment(status="pending", guest_name="Visitor")
        client = login_as(app.test_client(), moderator)
        response = client.post(
            "/moderation/queue", data={"item": [f"comment:{comment.id}"], "action": "approve"}
        )
        assert response.status_code == 400
        db.session.refresh(comment)
        assert comment.status == "pending"


def test_moderators_cannot_act_on_admins_or_themselves(client, login_as, moderator, admin):
    login_as(client, moderator)
    for path, data in (
        (
            f"/moderation/users/{admin.username}/suspend",
            {"until": "2099-01-01", "reason": "x", "confirm": "y"},
        ),
        (f"/moderation/users/{moderator.username}/trust", {"trust": "withdraw"}),
    ):
        assert client.post(path, data=data).status_code == 422
    db.session.refresh(admin)
    assert admin.suspended_until is None
