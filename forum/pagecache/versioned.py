"""Per-process caches of public renderings, valid for one content version.

The content version (``content_version()``) changes on every commit that touches what a page can
show, and every worker reads the same one, so an entry filed under it is never stale and workers
need not tell each other anything. A new version empties the cache; a full one stops taking
entries until then. With the page cache off there is no version, and nothing is cached.
"""

from __future__ import annotations

from flask import current_app

from forum.pagecache.middleware import content_version

_VERSION = object()  # the key under which each cache keeps the version it belongs to


class VersionedCache:
    """A dict-like view of one named cache for this request's content version."""

    def __init__(self, entries: dict, limit: int):
        self._entries, self._limit = entries, limit

    def __contains__(self, key) -> bool:
        return key in self._entries

    def __getitem__(self, key):
        return self._entries[key]

    def __setitem__(self, key, value) -> None:
        if len(self._entries) <= self._limit:
            self._entries[key] = value


def versioned_cache(name: str, limit: int = 10_000) -> VersionedCache | None:
    """The cache ``name`` for the current content version; None when there is no version."""
    version = content_version()
    if version is None:
        return None
    entries = current_app.extensions.setdefault(name, {})
    if entries.get(_VERSION) != version:
        entries.clear()
        entries[_VERSION] = version
    return VersionedCache(entries, limit)
