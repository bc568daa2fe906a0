"""A whole-page cache for anonymous readers, shared by every worker and invalidated on change.

Readers mostly read. An anonymous GET without cookies is answered from the cache when the stored
page was rendered under the current *content version*; any commit that changes content bumps the
version (and a scheduled part's publish time acts as a bump when it passes), so a cached page is
never stale after an approval and never shows anything a logged-in or private view would.
"""

from forum.pagecache.middleware import PageCacheMiddleware, content_version, init_app

__all__ = ["PageCacheMiddleware", "content_version", "init_app"]
