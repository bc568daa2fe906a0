"""Search finds public parts and comments, ranked and highlighted, and nothing else."""

from datetime import timedelta

import pytest

from forum.db import utcnow
from forum.extensions import db
from forum.kernel.events import emit
from forum.search import services
from forum.search.backends import Filters


def test_finds_public_part_and_comment_with_highlight(
    make_part, make_comment, publish, search_page
):
    part = make_part(title="Listening well", body="Confidentiality builds *trust* between people.")
    comment = make_comment(characteristic=None, body="Trust grows slowly, like an oak.")
    publish(part, comment)
    html = search_page("trust")
    assert "Listening well" in html
    assert "Comment by" in html
    assert "<mark>trust</mark>" in html.lower() or "<mark>Trust</mark>" in html
    assert "2 results" in html


def test_title_ranks_above_body(make_part, publish):
    weak = make_part(title="On meetings", body="Some words about candour in passing.")
    strong = make_part(title="Candour", body="Candour, candour and candour again.")
    publish(weak, strong)
    found = services.visible_candidates("candour", Filters(("part", "comment")))
    assert found[0] == ("part", strong.id)
    assert ("part", weak.id) in found


@pytest.mark.parametrize("case", ["pending", "rejected", "hidden", "deleted"])
def test_comment_never_found_unless_public(case, make_comment, make_user, publish, search_page):
    author = make_user()
    fields = {
        "pending": {"status": "pending"},
        "rejected": {"status": "rejected"},
        "hidden": {"hidden_at": utcnow()},
        "deleted": {"deleted_at": utcnow()},
    }[case]
    comment = make_comment(author=author, body=f"zebracanary {case}", **fields)
    publish(comment)
    assert hits(search_page("zebracanary")) == 0
    assert services.visible_candidates("zebracanary", Filters(("comment",))) == []


@pytest.mark.parametrize("case", ["submitted", "rejected", "draft", "hidden", "deleted", "future"])
def test_part_never_found_unless_public(case, make_part, publish, search_page):
    fields = {
        "submitted": {"status": "submitted"},
        "rejected": {"status": "rejected"},
        "draft": {"status": "draft"},
        "hidden": {"hidden_at": utcnow()},
        "deleted": {"deleted_at": utcnow()},
        "future": {"publish_at": "future"},
    }[case]
    part = make_part(body="okapicanary text", **fields)
    publish(part)
    assert hits(search_page("okapicanary")) == 0


def test_author_and_moderator_do_not_find_pending_content(
    make_comment, make_user, publish, client, login_as
):
    author = make_user()
    moderator = make_user(roles=("member", "moderator"))
    publish(make_comment(author=author, status="pending", body="quokkacanary waits"))
    for who in (author, moderator):
        login_as(client, who)
        assert hits(client.get("/search?q=quokkacanary").get_data(as_text=True)) == 0


def test_scheduled_part_appears_when_its_time_comes(make_part, publish, search_page, monkeypatch):
    import forum.pagecache.middleware
    import forum.search.services
    import forum.series.models

    part = make_part(body="narwhalcanary soon", publish_at="future")
    publish(part)
    assert hits(search_page("narwhalcanary")) == 0
    later = utcnow() + timedelta(days=8)  # the clock moves past publish_at; no event fires
    monkeypatch.setattr(forum.search.services, "utcnow", lambda: later)
    monkeypatch.setattr(forum.series.models, "utcnow", lambda: later)
    # and the guest's cached page knows the publish time: it is rendered anew once it passes
    monkeypatch.setattr(forum.pagecache.middleware.time, "time", lambda: later.timestamp())
    assert hits(search_page("narwhalcanary")) == 1


def test_hide_and_delete_remove_from_index(make_part, make_comment, publish, search_page):
    part = make_part(body="ibexcanary part")
    comment = make_comment(body="ibexcanary comment")
    publish(part, comment)
    assert "2 results" in search_page("ibexcanary")
    part.hidden_at = utcnow()
    emit("content_hidden", content=part, actor=None, reason="test")
    comment.deleted_at = utcnow()
    emit("content_deleted", content=comment, actor=None)
    db.session.commit()
    assert backend_rows("ibexcanary") == []
    assert "0 results" in search_page("ibexcanary")


def test_edit_reindexes(make_part, publish, search_page):
    part = make_part(body="first wording tapir")
    publish(part)
    part.body_html = "<p>second wording llama</p>"
    emit("content_approved", content=part, actor=None)
    db.session.commit()
    assert "0 results" in search_page("tapir")
    assert "1 result" in search_page("llama")


def hits(html):
    return html.count('class="search-hit ')


def backend_rows(word):
    return (
        services.backend()
        .candidates(
            [word],
            Filters(("part", "comment", "question", "answer")),
            utcnow() + timedelta(days=3650),
            100,
        )
        .keys
    )


def test_stale_index_entry_still_filtered_by_policy(make_comment, publish, search_page):
    """Defence in depth: an entry left behind by a missed event is dropped by the policy."""
    comment = make_comment(body="lemurcanary")
    publish(comment)
    comment.status = "pending"  # no event: the index still has it
    db.session.commit()
    assert backend_rows("lemurcanary")
    assert hits(search_page("lemurcanary")) == 0


def test_filters_by_characteristic_expert_and_kind(
    make_characteristic, make_part, make_comment, make_user, publish, search_page
):
    from forum.series.models import ExpertProfile

    one, two = make_characteristic(title="Respect"), make_characteristic(title="Patience")
    expert = make_user("dr_demo", roles=("member", "expert"))
    db.session.add(ExpertProfile(user_id=expert.id, affiliation="Demo Org", is_demo=True))
    db.session.commit()
    publish(
        make_part(characteristic=one, author=expert, title="Alpha", body="walrus one"),
        make_part(characteristic=two, title="Beta", body="walrus two"),
        make_comment(characteristic=two, body="walrus three"),
    )
    assert "3 results" in search_page("walrus")
    assert "1 result" in search_page("walrus", characteristic=one.slug)
    html = search_page("walrus", expert="dr_demo")
    assert "Alpha" in html and "Beta" not in html
    assert "2 results" in search_page("walrus", kind="part")
    assert "1 result" in search_page("walrus", kind="comment")


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "secret"},
        {"characteristic": "nope"},
        {"expert": "nobody"},
        {"q": "x" * 501},
        {"page": "abc"},
    ],
)
def test_bad_filters_are_400(client, params):
    response = client.get("/search", query_string={"q": "walrus", **params})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "*",
        "NEAR(",
        'a" OR "b',
        "title:x",
        "-",
        "((",
        "^x",
        "AND",
        "NOT OR",
        "x" * 400,
        "ünïcödé 日本",
        "'; DROP TABLE users;--",
    ],
)
def test_hostile_queries_never_500(make_part, publish, client, q):
    publish(make_part(body="plain words"))
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200


@pytest.mark.parametrize("q", ["\x00", "a\x01b", "two\nlines"])
def test_queries_with_control_characters_are_400(make_part, publish, client, q):
    publish(make_part(body="plain words"))
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 400


def test_snippet_escapes_everything_but_marks(make_part, publish, search_page):
    part = make_part(body="A tag `<script>alert(1)</script>` near Tom & Jerry, the word heron.")
    publish(part)
    html = search_page("heron")
    assert "<mark>heron</mark>" in html
    assert "<script>alert" not in html
    assert "Tom &amp; Jerry" in html


def test_pagination(make_characteristic, make_part, publish, client, search_page):
    ch = make_characteristic()
    publish(*[make_part(characteristic=ch, body=f"gazelle number {i}") for i in range(12)])
    first = search_page("gazelle")
    assert "12 results" in first and 'rel="next"' in first
    second = search_page("gazelle", page=2)
    assert hits(second) == 2 and 'rel="prev"' in second
    assert client.get("/search?q=gazelle&page=3").status_code == 404
    assert client.get("/search?q=gazelle&page=99999999999").status_code == 400


def test_reindex_command_rebuilds(make_part, make_comment, runner, search_page):
    make_part(body="pelican part")
    make_comment(body="pelican comment")
    make_comment(body="pelican pending", status="pending")
    make_part(body="pelican future", publish_at="future")
    assert "0 results" in search_page("pelican")
    result = runner.invoke(args=["forum", "reindex"])
    assert result.exit_code == 0, result.output
    assert "part: 2 indexed" in result.output and "comment: 1 indexed" in result.output
    assert "2 results" in search_page("pelican")


def test_empty_query_shows_form_only(client):
    html = client.get("/search").get_data(as_text=True)
    assert 'role="search"' in html and "result" not in html


def test_trusted_edit_without_event_is_reindexed(make_comment, publish, search_page):
    from forum.kernel.hooks import hook

    comment = make_comment(body="old wording mongoose")
    publish(comment)
    hook.before_content_saved(content=comment, actor=None, action="edited")
    comment.body_html = "<p>new wording meerkat</p>"
    db.session.commit()
    assert hits(search_page("mongoose")) == 0
    assert hits(search_page("meerkat")) == 1
