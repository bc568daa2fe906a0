"""Security promises that need a plugin which raises, refuses or over-reaches."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from forum import hookimpl
from forum.extensions import db


class Misbehaving:
    """Raises on comments' visibility and on flagging; allows "promise.act"; widens the CSP."""

    raising = False

    @hookimpl
    def visibility_filter(self, actor, content_type):
        if self.raising and content_type.name == "comment":
            raise RuntimeError("secret comment words")
        return None

    @hookimpl
    def check_permission(self, actor, action, resource):
        if action == "flag.create" and self.raising:
            raise RuntimeError("boom")
        return True if action == "promise.act" else None

    @hookimpl
    def csp_sources(self):
        return {
            "script-src": ["https://evil.example"],
            "object-src": ["https://evil.example"],
            "base-uri": ["https://evil.example"],
            "img-src": ["https://img.example"],
        }


class Refusing:
    """Says no to "promise.act" for the user called "nocook"."""

    @hookimpl
    def check_permission(self, actor, action, resource):
        if action == "promise.act" and getattr(actor, "username", "") == "nocook":
            return False
        return None


@pytest.fixture
def misbehaving():
    return Misbehaving()


@pytest.fixture
def app(make_app, misbehaving):
    app = make_app(extra_plugins=[("misbehaving", misbehaving), ("refusing", Refusing())])
    with app.app_context():
        yield app


def test_visibility_filter_exception_means_deny(app, make_comment, misbehaving, caplog):
    from forum.discussion.models import Comment
    from forum.visibility import as_actor

    make_comment(body="public words")
    with as_actor(None):
        assert len(db.session.scalars(sa.select(Comment)).all()) == 1
    misbehaving.raising = True
    db.session.expire_all()
    with caplog.at_level(logging.DEBUG), as_actor(None):
        assert db.session.scalars(sa.select(Comment)).all() == []
    assert "visibility_filter raised" in caplog.text
    assert "secret comment words" not in caplog.text and "public words" not in caplog.text


def test_check_permission_deny_wins(app, make_user):
    from forum.visibility.permissions import can

    assert can("promise.act", actor=make_user()) is True  # one plugin allows
    assert can("promise.act", actor=make_user("nocook")) is False  # another refuses: refused


def test_check_permission_exception_means_deny(app, make_user, misbehaving):
    from forum.visibility.permissions import can

    member = make_user()
    assert can("flag.create", actor=member) is True
    misbehaving.raising = True
    assert can("flag.create", actor=member) is False


def test_csp_sources_script_src_never_widened(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if " " in part.strip())
    assert "https://img.example" in directives["img-src"]
    for name in ("script-src", "object-src", "base-uri"):
        assert "evil.example" not in directives.get(name, ""), name
