"""Every ``Security (<slug>): ...`` promise in a hookspec has a test ``test_<hook>_<slug>``.

The promises with the kitchen sink's help are tested here; those that need a misbehaving plugin
are in ``test_security_promises_failures.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import kitchen_sink
import sqlalchemy as sa

from forum.extensions import db
from forum.plugin_admin import docgen

TESTS = Path(__file__).resolve().parents[1]
PLUGIN_TESTS = Path(__file__).resolve().parents[2] / "plugins"
PROMISE = re.compile(r"^\s*Security \((\w+)\): ", re.M)


def _promised_tests() -> set[str]:
    return {
        f"test_{name}_{slug}"
        for name, spec in docgen.specs()
        for slug in PROMISE.findall(spec.__doc__ or "")
    }


def _defined_tests() -> set[str]:
    paths = [*TESTS.rglob("test_*.py"), *PLUGIN_TESTS.glob("*/tests/**/test_*.py")]
    return {
        name for path in paths for name in re.findall(r"^def (test_\w+)\(", path.read_text(), re.M)
    }


def test_every_security_promise_has_a_test_named_after_it():
    promised = _promised_tests()
    assert "test_visibility_filter_deny_wins" in promised  # the markers are found at all
    assert sorted(promised - _defined_tests()) == [], "security promises without their test"


def test_register_content_types_fail_closed(app, make_user, switch):
    owner, admin = make_user(), make_user(roles=("admin",))
    db.session.add(kitchen_sink.Note(owner_id=owner.id, body="mine"))
    db.session.commit()
    from forum.visibility import as_actor

    switch(False)
    db.session.expire_all()
    for actor in (owner, admin):
        with as_actor(actor):
            assert db.session.scalars(sa.select(kitchen_sink.Note)).all() == []


def test_visibility_filter_deny_wins(app, make_user, make_comment):
    """Core opens every comment to a moderator; the kitchen sink's clause still hides one."""
    from forum.discussion.models import Comment
    from forum.visibility import as_actor

    make_comment(body="open words")
    make_comment(body="secret [ks-hidden] words")
    with as_actor(make_user(roles=("moderator",))):
        bodies = db.session.scalars(sa.select(Comment.body_source)).all()
    assert bodies == ["open words"]


def test_visibility_filter_members_type_hidden_without_clause(app, make_user):
    """A ``members`` type that no plugin's rule opens is seen by nobody, not even its author."""
    from forum.kernel.types import ContentType
    from forum.visibility import as_actor
    from forum.visibility.policy import visibility_clause

    owner = make_user()
    db.session.add(kitchen_sink.Note(owner_id=owner.id, body="mine"))
    db.session.commit()
    unruled = ContentType("unruled_note", kitchen_sink.Note, audience="members")
    for actor in (owner, make_user(roles=("admin",))):
        with as_actor(actor):
            query = sa.select(kitchen_sink.Note).where(visibility_clause(actor, unruled))
            assert db.session.scalars(query).all() == []
    with as_actor(owner):  # the note itself is there for its owner under its real type
        assert len(db.session.scalars(sa.select(kitchen_sink.Note)).all()) == 1


def test_sanitizer_policy_denylist_cannot_be_reallowed(app):
    """The kitchen sink adds ``script`` to its context's policy; the core denylist still wins."""
    from forum.content import sanitize_html

    html = sanitize_html(
        '<script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">a</a>'
        '<p style="color:red">p</p>',
        "kitchen_sink",
    )
    assert "<script" not in html and "javascript:" not in html
    assert "onclick" not in html and "style=" not in html
