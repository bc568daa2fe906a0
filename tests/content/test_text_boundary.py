"""The text rule at the boundary: API JSON, query strings, forms (beside the field, typed text
kept), views that read the form themselves, CLI imports and JSON inside a field."""

import json

import pytest
from sqlalchemy import func, select

from forum.api.openapi import SCHEMAS
from forum.content.text_boundary import multiline_json_keys
from forum.content.text_rules import multiline_keys
from forum.discussion.models import Comment
from forum.extensions import db
from forum.visibility import bypass


def _comment_count() -> int:
    return db.session.execute(
        select(func.count(Comment.id)).execution_options(**bypass("core", "test"))
    ).scalar_one()


@pytest.fixture
def trusted(app, make_user, make_characteristic, login_as):
    user = make_user(trusted_override=True)
    return login_as(app.test_client(), user), make_characteristic(slug="trust"), user


@pytest.mark.parametrize(
    "body, words",
    [
        ("\ud800", "unpaired surrogate (U+D800)"),
        ("Hi\x01", "control character (U+0001)"),
        ("Hi\x85there", "control character (U+0085)"),
    ],
)
def test_api_comment_with_a_forbidden_character_is_422_naming_the_field(trusted, body, words):
    client, c, _u = trusted
    before = _comment_count()
    response = client.post(f"/api/v1/characteristics/{c.slug}/comments", json={"body": body})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"].startswith("The field body contains")
    assert words in response.json["detail"]
    assert _comment_count() == before


def test_api_single_line_field_refuses_a_newline(trusted):
    client, c, _u = trusted
    response = client.post(
        f"/api/v1/characteristics/{c.slug}/comments", json={"body": "fine", "format": "mark\ndown"}
    )
    assert response.status_code == 422
    assert "The field format must be a single line" in response.json["detail"]


def test_api_body_keeps_tabs_newlines_and_crlf(trusted):
    client, c, _u = trusted
    response = client.post(
        f"/api/v1/characteristics/{c.slug}/comments", json={"body": "one\r\ntwo\n\tthree \u202e"}
    )
    assert response.status_code == 201, response.json


def test_the_api_registers_its_markdown_fields_as_multiline_when_the_app_is_built(app):
    assert multiline_json_keys(app) == multiline_keys(SCHEMAS) == {"body"}


def test_forbidden_characters_escaped_inside_an_interview_body_are_dropped(trusted):
    """An interview's source is JSON: escapes there bypass the field's check, so rendering drops
    what the rule forbids (a lone surrogate in the stored HTML was a 500)."""
    client, c, _u = trusted
    source = json.dumps(
        {
            "speakers": [{"name": "Ada\n\x01"}, {"name": "Ben"}],
            "turns": [{"speaker": 0, "text": "one\ud800\x0b two"}, {"speaker": 1, "text": "b"}],
        }
    )
    response = client.post(
        f"/api/v1/characteristics/{c.slug}/comments", json={"body": source, "format": "interview"}
    )
    assert response.status_code == 201, response.json
    stored = db.session.get(Comment, response.json["id"])
    assert "one two" in stored.body_html and "Ada" in stored.body_html
    assert not any(ch in stored.body_html for ch in "\ud800\x0b\x01")


@pytest.mark.parametrize(
    "path",
    ["/search?q=a%01b", "/c/trust?page=1%0a", "/api/v1/search?q=%7f", "/feeds/site.atom?x%02=1"],
)
def test_query_string_with_a_control_character_is_400_naming_it(trusted, path):
    client, _c, _u = trusted
    response = client.get(path)
    assert response.status_code == 400
    assert "The query parameter" in response.get_data(as_text=True)


def test_guest_form_shows_the_problem_beside_the_field_and_keeps_the_text(app, make_characteristic):
    from forum.content.antiabuse import started_token

    c = make_characteristic(slug="trust")
    app.config["GUEST_MIN_FILL_SECONDS"] = 0
    before = _comment_count()
    response = app.test_client().post(
        f"/c/{c.slug}/comments",
        data={
            "guest_name": "Ann\x01",
            "guest_email": "ann@example.org",
            "body": "My kept words.",
            "started": started_token(),
            "body_format": "markdown",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This field contains a control character (U+0001), which is not allowed." in page
    assert (
        'aria-invalid="true"'
        in page.split('name="guest_name"')[0].rsplit("<input", 1)[-1]
        + page.split('name="guest_name"')[1].split(">")[0]
    )
    assert "My kept words." in page
    assert _comment_count() == before


def test_single_line_field_refuses_a_newline_but_a_textarea_keeps_it(app, make_characteristic):
    from forum.content.antiabuse import started_token

    c = make_characteristic(slug="trust")
    app.config["GUEST_MIN_FILL_SECONDS"] = 0
    client = app.test_client()
    data = {"guest_email": "ann@example.org", "started": started_token(), "body_format": "markdown"}
    refused = client.post(
        f"/c/{c.slug}/comments", data={**data, "guest_name": "Ann\nLee", "body": "x"}
    )
    assert refused.status_code == 422
    assert "This field must be a single line (no line breaks)." in refused.get_data(as_text=True)
    kept = client.post(
        f"/c/{c.slug}/comments",
        data={**data, "guest_name": "Ann Lee", "body": "one\r\ntwo\n\tthree"},
    )
    assert kept.status_code == 302
    stored = db.session.execute(
        select(Comment)
        .where(Comment.guest_name == "Ann Lee")
        .execution_options(**bypass("core", "test"))
    ).scalar_one()
    assert stored.body_source == "one\ntwo\n\tthree"


def test_a_view_reading_the_form_itself_cannot_store_refused_text(trusted, make_comment):
    """The delete view reads ``request.form["reason"]`` without a form: the write is refused."""
    client, c, user = trusted
    comment = make_comment(characteristic=c, author=user)
    response = client.post(
        f"/comments/{comment.id}/delete", data={"reason": "gone\x0b", "confirm": "y"}
    )
    assert response.status_code == 422
    assert "The field reason contains a control character (U+000B)" in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).deleted_at is None
    assert (
        client.post(
            f"/comments/{comment.id}/delete", data={"reason": "gone", "confirm": "y"}
        ).status_code
        == 302
    )


def test_every_form_class_applies_the_rule(app):
    """Forms of core and of the bundled plugins all derive from TextCheckedForm."""
    from flask_wtf import FlaskForm

    from forum.content import TextCheckedForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = [f for f in subclasses(FlaskForm) if f.__module__.startswith(("forum", "forum_"))]
    assert len(forms) > 30
    assert [
        f"{f.__module__}.{f.__name__}" for f in forms if not issubclass(f, TextCheckedForm)
    ] == []


def test_cli_import_refuses_forbidden_text_by_path(runner, tmp_path):
    from forum.series.models import Series

    doc = {
        "format": "mentorship-forum/series@1",
        "slug": "kmc",
        "title": "Key\nTitle",
        "description": "Two\nlines are fine.",
        "characteristics": [{"number": 1, "slug": "c", "title": "C\x01", "definition": "ok\n"}],
    }
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc))
    result = runner.invoke(args=["forum", "import", str(path)])
    assert result.exit_code != 0
    assert "$.title: must be a single line" in result.output
    assert "$.characteristics[0].title: contains a control character (U+0001)" in result.output
    assert "$.description" not in result.output
    assert (
        db.session.execute(select(Series).where(Series.slug == "kmc")).scalar_one_or_none() is None
    )
