"""Each worker keeps the guests' pages it served in memory (``forum.pagecache.kept``): a hit
then reads neither a file nor Redis. A kept page never outlives its content version nor the
shared entry's lifetime, and the worker's copies stay within their byte limit."""

import shutil
import time

import pytest

from forum.pagecache.kept import KeptPage, KeptPages
from forum.testing import write_content_version


@pytest.fixture
def app_config(tmp_path):
    return {
        "FORUM_PAGE_CACHE": True,
        "FORUM_PAGE_CACHE_DIR": str(tmp_path / "pages"),
        "FORUM_PAGE_CACHE_SECONDS": 0.5,
    }


def state(client, path="/"):
    return client.get(path).headers.get("X-Page-Cache")


def test_a_kept_page_answers_without_the_shared_store_until_the_version_moves(
    app, make_characteristic, tmp_path
):
    make_characteristic(title="Trust")
    client = app.test_client()
    assert state(client) == "miss"
    assert state(client) == "hit"
    shutil.rmtree(tmp_path / "pages")  # (the shared copy is gone: only the worker's is left)
    assert state(client) == "hit"
    write_content_version(app, {"v": 12345, "next": None})
    assert state(client) == "miss"


def test_a_kept_page_expires_with_the_shared_entry(app, make_characteristic):
    make_characteristic(title="Trust")
    client = app.test_client()
    assert state(client) == "miss" and state(client) == "hit"
    time.sleep(0.6)  # (FORUM_PAGE_CACHE_SECONDS)
    assert state(client) == "miss"


def _page(size: int) -> KeptPage:
    return KeptPage(time.time() + 60, "200 OK", [], b"x" * size)


def test_the_oldest_pages_go_first_beyond_the_byte_limit():
    kept = KeptPages(limit_bytes=250)
    for key in ("a", "b", "c"):
        kept.put(key, 1, _page(100))
    assert kept.get("a", 1) is None and kept.get("b", 1) and kept.get("c", 1)
    assert kept.size == 200
    kept.put("huge", 1, _page(251))  # (larger than the limit: never kept)
    assert kept.get("huge", 1) is None and kept.size == 200
    assert kept.get("b", 2) is None and kept.size == 0  # (a new version empties it)
