"""The ranking window: only the newest matches of each type are ranked, the filters choose which
matches those are, and a count that stopped short says so ("3+ results")."""

import pytest
from sqlalchemy import text

from forum.extensions import db
from forum.search import services
from forum.search.backends import Filters, SearchBackend, SqliteBackend
from forum.testing import sql_statements

BOTH = Filters(("part", "comment"))


@pytest.fixture
def window(monkeypatch):
    """``window(n)``: rank only the newest ``n`` matches of each type."""
    return lambda n: monkeypatch.setattr(SearchBackend, "RANK_WINDOW", n)


def test_best_matches_among_the_newest_come_first(make_comment, publish, window):
    window(3)
    oldest_best = make_comment(body="heron heron heron heron")
    plain, best, middle = (
        make_comment(body=f"{words} and more words")
        for words in ("heron", "heron heron heron", "heron heron")
    )
    publish(oldest_best, plain, best, middle)
    ranking = services.visible_ranking("heron", BOTH)
    assert ranking.keys == [("comment", best.id), ("comment", middle.id), ("comment", plain.id)]
    assert ranking.more  # the oldest match was left out of the window


def test_filters_choose_the_window(make_characteristic, make_comment, publish, window, search_page):
    """Newer matches elsewhere do not push a characteristic's older ones out of its window."""
    window(2)
    quiet, busy = make_characteristic(), make_characteristic()
    old = make_comment(characteristic=quiet, body="osprey in the quiet thread")
    publish(old, *[make_comment(characteristic=busy, body=f"osprey number {i}") for i in range(3)])
    assert services.visible_candidates(
        "osprey", Filters(("comment",), characteristic_id=quiet.id)
    ) == [("comment", old.id)]
    assert hits(search_page("osprey", characteristic=quiet.slug)) == 1


def test_each_type_keeps_its_own_window(make_part, make_comment, publish, window):
    """Parts outrank comments (a title match); each type is cut to its own newest matches."""
    window(2)
    old_part = make_part(title="Curlew curlew", body="The curlew, the curlew.")
    parts = [make_part(title="Curlew", body="About the curlew.") for _ in range(2)]
    comments = [make_comment(body=f"a curlew passed by, number {i}") for i in range(3)]
    publish(old_part, *parts, *comments)
    ranking = services.visible_ranking("curlew", BOTH)
    assert set(ranking.keys[:2]) == {("part", p.id) for p in parts}
    assert set(ranking.keys[2:]) == {("comment", c.id) for c in comments[1:]}
    assert ranking.more


def test_a_whole_type_is_ranked_with_a_windowed_one(make_part, make_comment, publish, window):
    window(2)
    part = make_part(title="Godwit", body="All about the godwit.")
    comments = [make_comment(body=f"a godwit passed by, number {i}") for i in range(3)]
    publish(part, *comments)
    ranking = services.visible_ranking("godwit", BOTH)
    assert ranking.keys[0] == ("part", part.id)
    assert set(ranking.keys[1:]) == {("comment", c.id) for c in comments[1:]}
    assert ranking.more


def test_a_number_never_matches_the_filter_columns(make_characteristic, make_comment, publish):
    """Filters are indexed tokens on SQLite; a typed number must still only match the text."""
    characteristic = make_characteristic()
    publish(make_comment(characteristic=characteristic, body="no digits in here"))
    number = str(characteristic.id)
    assert services.visible_candidates(number, BOTH) == []
    written = make_comment(characteristic=characteristic, body=f"chapter {number} says so")
    publish(written)
    assert services.visible_candidates(number, BOTH) == [("comment", written.id)]


def test_capped_count_shows_a_plus(make_comment, publish, search_page, monkeypatch):
    monkeypatch.setattr(services, "MAX_CANDIDATES", 3)
    publish(*[make_comment(body=f"plover {i}") for i in range(3)])
    html = search_page("plover")
    assert "3 results" in html and "3+ results" not in html
    assert api_meta("plover")["more"] is False
    publish(make_comment(body="plover again"))
    html = search_page("plover")
    assert "3+ results" in html and hits(html) == 3
    meta = api_meta("plover")  # the API says its total is a floor too
    assert meta["total"] == 3 and meta["more"] is True


def api_meta(q):
    from flask import current_app

    response = current_app.test_client().get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200
    return response.get_json()["meta"]


def test_thousands_are_grouped(app):
    from flask import render_template

    results = services.Results("q", ["q"], [], 1234, 1, 10, more=True)
    assert results.pages == 124
    with app.test_request_context("/search?q=q"):
        html = render_template(
            "search/search.html",
            wanted=_Wanted(),
            results=results,
            characteristics=[],
            experts=[],
            kinds=[],
        )
    assert "1,234+ results" in html


@pytest.mark.parametrize(
    "app_config", [{"FORUM_PAGE_CACHE": False}]
)  # counts the render behind the cache
def test_page_and_api_rank_once_per_request(make_comment, publish, client):
    publish(*[make_comment(body=f"dunlin {i}") for i in range(2)])
    for path in ("/search?q=dunlin", "/api/v1/search?q=dunlin"):
        with sql_statements() as seen:
            assert client.get(path).status_code == 200
        assert (
            len(
                [
                    s
                    for s in seen
                    if "search_fts" in s and "highlight" not in s and "ts_headline" not in s
                ]
            )
            == _rank_statements()
        ), path


def test_reindex_refreshes_planner_statistics(make_comment, app):
    """After a rebuild (usually after an import) PostgreSQL knows the index and its sources."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL plans from statistics; FTS5 keeps none")
    make_comment(body="a sanderling")
    make_comment(body="two sanderlings", status="pending")
    services.reindex()
    tuples = dict(
        db.session.execute(
            text(
                "SELECT relname, reltuples FROM pg_class WHERE relname IN ('search_fts_documents', 'comments')"
            )
        ).all()
    )
    assert tuples == {"search_fts_documents": 1, "comments": 2}


class _Wanted:
    query, characteristic, expert, kind = "q", None, None, ""


def _rank_statements() -> int:
    """SQLite: per FTS5 table (English, other languages), one window probe per type and one
    ranking pass; PostgreSQL: one per type."""
    types = len(services.searchable_types())
    if db.engine.dialect.name == "sqlite":
        return (types + 1) * len(SqliteBackend.TABLES)
    return types


def hits(html):
    return html.count('class="search-hit ')
