"""The suite's own shortcuts change nothing a test sees: each app's URL builders are the code
Werkzeug would have compiled for it."""

from flask import url_for
from werkzeug.routing import Rule


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
