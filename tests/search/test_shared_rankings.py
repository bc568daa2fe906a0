"""With the page cache on, a search's candidates (and the public's part of them) are computed
once per content version and shared by every reader who sees the public rows plus their own;
anyone else still has them checked against their own rules."""

import pytest
import sqlalchemy as sa

from forum import hookimpl
from forum.discussion.models import Comment
from forum.extensions import db
from forum.testing import sql_statements


@pytest.fixture
def app_config(tmp_path):
    return {"FORUM_PAGE_CACHE": True, "FORUM_PAGE_CACHE_DIR": str(tmp_path / "pages")}


def member_search(client, q):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def fts_queries(app, client, q):
    """How many statements reading the index the search ran."""
    with sql_statements(app) as seen:
        page = member_search(client, q)
    return page, len(
        [s for s in seen if "search_fts" in s and "snippet" not in s and "ts_headline" not in s]
    )


def test_a_second_members_search_reuses_the_ranking_until_content_changes(
    app, make_user, make_comment, publish, login_as
):
    publish(make_comment(body="a shearwater at sea"))
    first, second = (login_as(app.test_client(), make_user()) for _ in range(2))
    page, ranked = fts_queries(app, first, "shearwater")
    assert "shearwater</mark>" in page and ranked >= 1
    page, ranked = fts_queries(app, second, "shearwater")  # another member, same version
    assert "shearwater</mark>" in page and ranked == 0
    publish(make_comment(body="a second shearwater, the manx one"))
    page, ranked = fts_queries(app, second, "shearwater")
    assert "manx" in page and ranked >= 1  # the index changed: the version moved with it


class HidesFromOne:
    """An extra rule: one reader never sees one author's comments (public to everyone else)."""

    def __init__(self, reader_id, author_id):
        self.reader_id, self.author_id = reader_id, author_id

    @hookimpl
    def visibility_filter(self, actor, content_type):
        if content_type.name == "comment" and getattr(actor, "id", None) == self.reader_id:
            return Comment.author_id != self.author_id
        return None


def test_a_reader_with_their_own_rule_never_gets_the_shared_ranking(
    app, make_user, make_comment, publish, login_as, register_plugin
):
    author, blocked_reader = make_user(), make_user()
    publish(make_comment(author=author, body="a petrel over the waves"))
    assert "petrel</mark>" in member_search(
        app.test_client(), "petrel"
    )  # the public ranking is cached
    assert "petrel</mark>" in member_search(login_as(app.test_client(), make_user()), "petrel")
    with register_plugin(HidesFromOne(blocked_reader.id, author.id)):
        page = member_search(login_as(app.test_client(), blocked_reader), "petrel")
    # not in the hits (each is loaded back through the policy) nor in the count (the ranking)
    assert "petrel</mark>" not in page and ">0 results<" in page


def test_staff_rankings_are_their_own(app, make_user, make_comment, publish, login_as):
    """A stale entry (the comment was hidden behind the index's back) never reaches the public
    ranking, while a moderator, who may see hidden comments, has it checked for them."""
    comment = make_comment(body="a storm petrel, hidden later")
    publish(comment)
    db.session.execute(
        sa.update(Comment).where(Comment.id == comment.id).values(hidden_at=sa.func.now())
    )
    db.session.commit()
    assert ">0 results<" in member_search(login_as(app.test_client(), make_user()), "storm")
    moderator = make_user(roles=("member", "moderator"))
    assert ">1 result " in member_search(login_as(app.test_client(), moderator), "storm")


def test_an_index_change_moves_the_version(app, make_comment):
    """The index is written after the content's own commit (by its after-commit handlers): that
    write moves the version again, so no ranking cached in between outlives it."""
    from forum.search import services

    comment = make_comment(body="a fulmar on the cliff")
    store = app.extensions["forum.pagecache"]
    before = store.get_version()["v"]
    services.index_object(comment)
    db.session.commit()
    indexed = store.get_version()["v"]
    assert indexed != before
    services.remove_object(comment)
    db.session.commit()
    assert store.get_version()["v"] != indexed
