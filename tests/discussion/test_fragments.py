"""The thread page's shared comment fragments, the per-request permission memo, the page links."""

import pytest

from forum import hookimpl
from forum.db import utcnow
from forum.discussion.models import Comment
from forum.extensions import db
from forum.routing import page_numbers

FRAGMENTS = "forum.discussion.fragments"


@pytest.fixture
def cached(make_app, tmp_path):
    """As deployed: the page cache on, so there is a content version to key fragments by."""
    return make_app(FORUM_PAGE_CACHE=True, FORUM_PAGE_CACHE_DIR=str(tmp_path / "pages"))


@pytest.fixture
def thread(make_characteristic):
    return make_characteristic(slug="respect", title="Respect")


def _entries(app) -> dict:
    return {k: v for k, v in app.extensions.get(FRAGMENTS, {}).items() if isinstance(k, tuple)}


def test_one_rendering_serves_every_reader_until_content_changes(
    cached, thread, make_user, make_comment, login_as
):
    ann, bob = make_user("ann"), make_user("bob")
    comment = make_comment(thread, author=ann, body="Listening comes first.")
    assert b"Listening comes first." in login_as(cached.test_client(), ann).get("/c/respect").data
    shared = _entries(cached)
    assert len(shared) == 1
    page = login_as(cached.test_client(), bob).get("/c/respect").data
    assert b"Listening comes first." in page
    assert _entries(cached) == shared and next(iter(_entries(cached).values())) is next(
        iter(shared.values())
    )
    # ann's own copy still has her Edit link: the footer is rendered per reader
    assert (
        f"/comments/{comment.id}/edit".encode()
        in login_as(cached.test_client(), ann).get("/c/respect").data
    )
    assert f"/comments/{comment.id}/edit".encode() not in page
    with cached.app_context():  # (the app whose page cache the commit bumps)
        edited = db.session.get(Comment, comment.id)
        edited.body_html, edited.edited_at = "<p>Listening comes second.</p>", utcnow()
        db.session.commit()  # a new content version: the next page renders afresh
    assert b"Listening comes second." in login_as(cached.test_client(), bob).get("/c/respect").data


def test_a_quote_the_reader_may_not_see_is_never_served_from_anothers_rendering(
    cached, thread, make_user, make_comment, login_as
):
    ann, bob = make_user("ann"), make_user("bob")
    moderator = make_user("mo", roles=("member", "moderator"))
    parent = make_comment(thread, author=ann, body="A secret-ish first thought.")
    make_comment(thread, author=ann, body="Following up.", reply_to_id=parent.id)
    with cached.app_context():
        db.session.get(Comment, parent.id).hidden_at = utcnow()
        db.session.commit()
    staff = login_as(cached.test_client(), moderator).get("/c/respect").data.decode()
    assert "<q>A secret-ish first thought." in staff  # staff see the hidden parent quoted
    member = login_as(cached.test_client(), bob).get("/c/respect").data.decode()
    assert "secret-ish" not in member and "an earlier comment" in member


def test_a_page_asks_may_this_reader_flag_once(make_app, thread, make_user, make_comment, login_as):
    asked = []

    class Recorder:
        @hookimpl
        def check_permission(self, actor, action, resource):
            asked.append((action, resource))

    app = make_app(extra_plugins=[("recorder", Recorder())])
    ann, bob = make_user("ann"), make_user("bob")
    for i in range(20):
        make_comment(thread, author=ann, body=f"Comment {i}")
    page = login_as(app.test_client(), bob).get("/c/respect").data
    assert page.count(b"mod-flag") == 20
    assert asked.count(("flag.create", None)) == 1


def test_page_numbers_show_the_ends_and_a_window_with_gaps():
    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 5000) == [1, 2, 3, None, 5000]
    assert page_numbers(2500, 5000) == [1, None, 2498, 2499, 2500, 2501, 2502, None, 5000]
    assert page_numbers(4, 7) == [1, 2, 3, 4, 5, 6, 7]


def test_the_blank_comment_fields_render_once_and_typed_text_is_kept(
    app, thread, make_user, login_as
):
    from flask import template_rendered

    rendered = []
    listener = lambda sender, template, context, **extra: rendered.append(template.name)  # noqa: E731
    template_rendered.connect(listener, app)
    try:
        pages = [
            login_as(app.test_client(), make_user()).get("/c/respect").get_data(as_text=True)
            for _ in range(2)
        ]
    finally:
        template_rendered.disconnect(listener, app)
    assert rendered.count("discussion/_comment_fields.html") == 1  # the second reader got the same
    assert pages[0].count('name="body"') == pages[1].count('name="body"') == 1
    # a form shown again (here: too long) keeps what was typed, never the blank copy
    client = login_as(app.test_client(), make_user())
    response = client.post(
        "/c/respect/comments",
        data={"body": "typed words " + "x" * 20001, "body_format": "markdown"},
    )
    assert response.status_code == 422 and "typed words" in response.get_data(as_text=True)
