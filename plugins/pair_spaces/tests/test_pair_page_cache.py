"""A pair space is on no public page: what its members write leaves the shared page cache alone."""

import pytest
from forum_pair_spaces.models import Message
from pair_kit import rows


@pytest.fixture
def app_config(tmp_path):
    return {"FORUM_PAGE_CACHE": True, "FORUM_PAGE_CACHE_DIR": str(tmp_path / "pages")}


def test_pair_messages_keep_the_public_page_cache(app, kit):
    pair, mentor, mentee = kit.pair()
    store = app.extensions["forum.pagecache"]
    before = store.get_version()["v"]
    kit.post(
        mentor, f"/p/pair_spaces/{pair.id}/messages", {"body": "Between the two of us"}, status=303
    )
    assert len(rows(Message, Message.pair_id == pair.id)) == 1
    assert store.get_version()["v"] == before


def test_pair_space_pages_are_never_in_the_page_cache(app, kit):
    """The plugin declares its pages ``NonCacheablePath``: even the public directory is not stored."""
    pair, mentor, _mentee = kit.pair()
    client = app.test_client(use_cookies=False)  # an anonymous reader, as the cache sees one
    for _ in range(2):
        page = client.get("/p/pair_spaces/pairs")
        assert page.status_code == 200 and "X-Page-Cache" not in page.headers
        assert client.get(f"/p/pair_spaces/{pair.id}").status_code in (302, 401, 404)
    assert client.get("/").headers.get("X-Page-Cache") in ("miss", "hit")  # the cache is on
