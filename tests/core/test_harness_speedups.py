"""The suite's own shortcuts change nothing a test sees: each app's URL builders are the code
Werkzeug would have compiled for it, and apps share an engine (and its compiled SQL) only when
they use the same database the same way."""

from flask import url_for
from werkzeug.routing import Rule

from forum.db import _on_sqlite_begin
from forum.extensions import db


def _code(builder):
    code = builder.__code__
    return code.co_code, code.co_consts, code.co_varnames


def test_shared_url_builders_are_the_ones_werkzeug_compiles(app):
    original = Rule._compile_builder.original
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 100
    for rule in rules:
        for unknown, built in ((False, rule._build), (True, rule._build_unknown)):
            assert _code(built.__func__) == _code(original(rule, unknown)), rule.rule


def test_rules_alike_share_one_builder_and_build_their_own_urls(make_app):
    first, second = make_app(), make_app()
    rule = next(first.url_map.iter_rules("series.part"))
    again = next(second.url_map.iter_rules("series.part"))
    assert rule is not again and rule._build.__func__ is again._build.__func__
    with first.test_request_context():
        assert url_for("series.part", slug="trust", number=7).endswith("/trust/part/7")


def test_apps_on_one_database_share_an_engine_tuned_once(make_app, tmp_path):
    first, second = make_app(), make_app()
    with first.app_context():
        engine = db.engine
    with second.app_context():
        assert db.engine is engine
    other = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with other.app_context():
        assert db.engine is not engine
    if engine.dialect.name == "sqlite":  # one BEGIN a transaction, not one per app built
        assert list(engine.dispatch.begin) == [_on_sqlite_begin]
