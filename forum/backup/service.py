"""Copy a live SQLite database with the online backup API: consistent while writers work."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """The backup could not be made (wrong database kind, unwritable target...)."""


def sqlite_path(database_uri: str) -> str:
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "`flask forum backup` copies SQLite databases; for PostgreSQL use pg_dump "
            "(see the README's Backups section)."
        )
    return url.database


def backup_sqlite(database_uri: str, target: str | os.PathLike) -> Path:
    """Write a consistent copy to ``target`` (owner-only permissions) and check its integrity."""
    source_path = sqlite_path(database_uri)
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest, pages=1024)
        dest.execute("PRAGMA journal_mode=DELETE")
        result = dest.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dest.close()
        source.close()
    if result != "ok":
        raise BackupError(f"integrity check of the copy failed: {result}")
    return target
