"""Every page a role may use is reached from the home page by links alone (issue 18).

For each role, on the demo site plus what each role owns (a comment, a draft part, a pair space,
a guidance request, a question), the walk follows ``<a href>`` and GET forms from ``/``. Every
GET route of the URL map is then asked once with concrete arguments: a route that answers the
role 200 but was reached by no link fails the test, unless ``NOT_LINKED`` says why it is not.
"""

from __future__ import annotations

import pytest
from link_walk import walk
from sqlalchemy import select

from forum.extensions import db
from forum.series.demo import SERIES_SLUG
from forum.series.models import Characteristic, ExpertProfile

#: Routes nobody should reach by a link on the site, and why.
NOT_LINKED = {
    # one-time tokens: they arrive by e-mail
    "accounts.reset_password",
    "series.accept_invitation",
    "notifications.unsubscribe",
    # the second step of a login asks for the code only after a password (never a link)
    "accounts.two_factor",
    # JSON for the @-name suggestions script in the comment form, not a page
    "notifications.member_names",
    # machines, not readers: health checks, crawler files, static assets
    "ops.healthz",
    "ops.readyz",
    "ops.robots",
    "ops.sitemap",
    "static",
    "feeds.static",
    "qa.static",
    "pair_spaces.static",
}
#: Alternate formats of a page: Atom feeds are announced in the page's <head> (<link
#: rel="alternate">, for feed readers) or by the API (a series' feed), not as links in the text.
FEEDS = {
    "feeds.series",
    "feeds.comments",
    "feeds.expert",
    "feeds.site",
    "qa.characteristic_feed",
    "qa.feed",
}
#: The JSON API is for programs (described by /api/v1/openapi.json), not linked page by page.
NOT_LINKED_PREFIXES = ("api.",)
#: Pages for guests that still answer a signed-in reader: nobody signed in needs a link to them
#: (the login and reset forms; the comment form on its own page, which members have on the thread).
GUEST_PAGES = {"accounts.login", "accounts.reset_request", "discussion.new"}

ROLES = {
    "guest": None,
    "member": ("member",),
    "expert": ("member", "expert"),
    "moderator": ("member", "moderator"),
    "supervisor": ("member", "supervisor"),
    "admin": ("member", "moderator", "admin"),
}


@pytest.fixture
def site(app, runner, make_user, make_comment, make_part, login_as):
    """The demo site, one account per role, and something each role owns."""
    assert runner.invoke(args=["forum", "seed-demo"]).exit_code == 0
    users = {
        role: make_user(f"walk_{role}", roles=roles, trusted_override=True)
        for role, roles in ROLES.items()
        if roles
    }
    trust = db.session.execute(
        select(Characteristic).where(Characteristic.slug == "confidentiality")
    ).scalar_one()
    comments = {role: make_comment(trust, author=user) for role, user in users.items()}
    db.session.add(ExpertProfile(user_id=users["expert"].id, affiliation="Walk Org"))
    draft = make_part(trust, author=users["expert"], status="draft", publish_at=None, part_number=9)
    owned = _plugin_content(app, users, login_as, trust)
    return {"users": users, "comments": comments, "draft": draft, "trust": trust, **owned}


def _post(app, login_as, user, url, data):
    response = login_as(app.test_client(), user).post(url, data=data)
    assert response.status_code in (302, 303), (url, response.status_code)
    return response


def _plugin_content(app, users, login_as, trust) -> dict:
    """A pair space (member and a mentee), a guidance request to the supervisor, a question."""
    from forum_pair_spaces.models import (
        AgreementVersion,
        Concern,
        GuidanceRequest,
        Message,
        Note,
        Pair,
    )
    from forum_qa.models import Question

    from forum.sdk import bypass

    def first(stmt):
        db.session.commit()  # see what the requests committed (a new snapshot)
        return db.session.execute(
            stmt.execution_options(**bypass("pair_spaces", "test seed"))
        ).scalars()

    member, mentee = users["member"], users["expert"]
    _post(
        app,
        login_as,
        member,
        "/p/pair_spaces/propose",
        {"username": mentee.username, "role": "mentor"},
    )
    pair = first(select(Pair).where(Pair.mentor_id == member.id)).one()
    _post(app, login_as, mentee, f"/p/pair_spaces/{pair.id}/accept", {})
    version = first(select(AgreementVersion).where(AgreementVersion.pair_id == pair.id)).first()
    for user in (member, mentee):
        _post(app, login_as, user, f"/p/pair_spaces/{pair.id}/agreement/{version.id}/accept", {})
    _post(
        app,
        login_as,
        member,
        f"/p/pair_spaces/{pair.id}/guidance",
        {"supervisor": users["supervisor"].username, "body": "How do I say no?"},
    )
    space = f"/p/pair_spaces/{pair.id}"
    for url, data in (
        ("messages", {"body": "Hello"}),
        ("notes", {"title": "First", "body": "Notes"}),
        ("concerns", {"issue": "An issue", "responsibilities": "Ours", "proposal": "Talk"}),
    ):
        _post(app, login_as, member, f"{space}/{url}", data)
    _post(app, login_as, member, f"/p/qa/c/{trust.slug}/questions", {"title": "What is trust?"})
    return {
        "pair": pair,
        "guidance": first(select(GuidanceRequest)).first(),
        "question": first(select(Question)).first(),
        "message": first(select(Message)).first(),
        "note": first(select(Note)).first(),
        "concern": first(select(Concern)).first(),
    }


def _arguments(site, role) -> dict:
    """Concrete values for each route argument, from what ``role`` owns or may see."""
    user = site["users"].get(role)
    comment = site["comments"].get(role) or site["comments"]["member"]
    return {
        "slug": "confidentiality",
        "number": 1,
        "username": "kenji.demo",
        "comment_id": comment.id,
        "part_id": site["draft"].id,
        "kind": "comment",
        "object_id": comment.id,
        "pair_id": site["pair"].id,
        "message_id": site["message"].id,
        "note_id": site["note"].id,
        "concern_id": site["concern"].id,
        "request_id": site["guidance"].id,
        "question_id": site["question"].id,
        "obj_id": site["question"].id,
        "user": user,
    }


#: Where one endpoint needs another value than its argument's name suggests.
OVERRIDES = {
    "moderation.user": {"username": "walk_member"},
    "accounts.profile": {"username": "walk_member"},
    "qa.edit": {"kind": "question"},
    "feeds.series": {"slug": SERIES_SLUG},
}


def usable(app, client, site, role) -> set[str]:
    """GET endpoints that answer ``role`` 200 with concrete arguments (None: cannot build)."""
    from flask import url_for

    values = _arguments(site, role)
    found = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or _not_linked(rule.endpoint, role):
            continue
        args = {name: values.get(name) for name in rule.arguments}
        args.update({k: v for k, v in OVERRIDES.get(rule.endpoint, {}).items()})
        missing = [name for name, value in args.items() if value is None]
        assert not missing, f"{rule.endpoint}: give {missing} a value in _arguments"
        with app.test_request_context():
            url = url_for(rule.endpoint, **args)
        if client.get(url).status_code == 200:
            found.add(rule.endpoint)
    return found


def _not_linked(endpoint: str, role: str) -> bool:
    if role != "guest" and endpoint in GUEST_PAGES:
        return True
    return endpoint in NOT_LINKED | FEEDS or endpoint.startswith(NOT_LINKED_PREFIXES)


@pytest.mark.slow  # a crawl of the whole seeded site per role: ~2 s each
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_role_may_use_is_reached_by_links(app, site, login_as, role):
    client = app.test_client()
    if site["users"].get(role) is not None:
        login_as(client, site["users"][role])
    reached = walk(app, client)
    may_use = usable(app, client, site, role)
    assert may_use, "the seeded site gave the role nothing to use"
    unlinked = sorted(may_use - reached)
    assert unlinked == [], f"{role} can use {unlinked} but no link leads there"
