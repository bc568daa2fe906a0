"""Per-process caches of public renderings, valid for one content version.

The content version (``content_version()``) changes on every commit that touches what a page can
show, and every worker reads the same one, so an entry filed under it is never stale and workers
need not tell each other anything. A new version empties the cache; a full one stops taking
entries until then. With the page cache off there is no version, and nothing is cached; nor once
the version's next publish time has passed (a scheduled part is live but the version has not
moved yet: the next anonymous request moves it).
"""

from __future__ import annotations

import time

from flask import current_app, request

from forum.pagecache.middleware import CONTENT_NEXT_ENVIRON, content_version

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
    next_publish = request.environ.get(CONTENT_NEXT_ENVIRON)
    if next_publish is not None and next_publish <= time.time():
        return None
    entries = current_app.extensions.setdefault(name, {})
    if entries.get(_VERSION) != version:
        entries.clear()
        entries[_VERSION] = version
    return VersionedCache(entries, limit)


def cached(name: str, key, compute, limit: int = 10_000):
    """``compute()``, kept in the cache ``name`` under ``key`` for this content version (computed
    every time when there is no version to key it by)."""
    cache = versioned_cache(name, limit)
    if cache is not None and key in cache:
        return cache[key]
    value = compute()
    if cache is not None:
        cache[key] = value
    return value
