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
    kit.post(mentor, f"/p/pair_spaces/{pair.id}/messages", {"body": "Between the two of us"}, status=303)
    assert len(rows(Message, Message.pair_id == pair.id)) == 1
    assert store.get_version()["v"] == before
