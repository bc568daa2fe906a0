"""Finished pages kept in this process's memory for one content version.

The shared store (files or Redis) answers every worker, but reading it costs a file or a round
trip and a parse on each hit. A page is fixed by its key within a version, so each worker may
keep the pages it served last: the guests' pages (``PageCacheMiddleware``) and the members'
layered pages (``member_pages``). Nothing here outlives the version it was kept under: the first
lookup under a new version empties it, so several workers or hosts never disagree for longer
than the version read that every request makes anyway.
"""

from __future__ import annotations

import threading
import time
from typing import NamedTuple


class KeptPage(NamedTuple):
    expires: float  # time.time()
    status: str
    headers: list
    body: bytes


class KeptPages:
    """At most ``limit_bytes`` of pages (the oldest go first), each until its ``expires``."""

    def __init__(self, limit_bytes: int):
        self.limit_bytes = limit_bytes
        self.version = None
        self.entries: dict[str, KeptPage] = {}
        self.size = 0
        self._lock = threading.Lock()  # (a threaded server's requests share the process's copies)

    def _follow(self, version) -> None:
        """(Call holding the lock.)"""
        if version != self.version:
            self.entries = {}
            self.version, self.size = version, 0

    def get(self, key: str, version) -> KeptPage | None:
        if version != self.version:
            with self._lock:
                self._follow(version)
            return None
        entry = self.entries.get(key)
        if entry is None or entry.expires < time.time():
            return None
        return entry

    def put(self, key: str, version, page: KeptPage) -> None:
        with self._lock:
            self._follow(version)
            self._put(key, page)

    def _put(self, key: str, page: KeptPage) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        if len(page.body) > self.limit_bytes:
            return
        while self.entries and self.size + len(page.body) > self.limit_bytes:
            self.size -= len(self.entries.pop(next(iter(self.entries))).body)
        self.entries[key] = page
        self.size += len(page.body)
