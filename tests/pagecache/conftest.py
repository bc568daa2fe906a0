import pytest


@pytest.fixture
def app_config(tmp_path):
    """The page cache on, in files, and CSRF checked (the token lives in the session)."""
    return {
        "FORUM_PAGE_CACHE": True,
        "FORUM_PAGE_CACHE_DIR": str(tmp_path / "pages"),
        "WTF_CSRF_ENABLED": True,
    }
