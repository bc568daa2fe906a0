"""Readiness checks: the database answers, its schema is at the code's heads, Redis answers.

Each check reads only (no writes, no session), never raises, and says in a few words why it
failed without echoing URLs or credentials.
"""

from __future__ import annotations

from collections.abc import Callable

import redis
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app

from forum.extensions import db

REDIS_TIMEOUT_SECONDS = 1.0
_HEADS_KEY = "forum.ops.script_heads"

OK = {"status": "ok"}


def _fail(detail: str) -> dict:
    return {"status": "fail", "detail": detail}


def script_heads() -> frozenset[str]:
    """The heads of core's and every installed plugin's migration branch (read once per app:
    the installed plugins are fixed at start-up)."""
    heads = current_app.extensions.get(_HEADS_KEY)
    if heads is None:
        config = current_app.extensions["migrate"].migrate.get_config()
        heads = frozenset(ScriptDirectory.from_config(config).get_heads())
        current_app.extensions[_HEADS_KEY] = heads
    return heads


def check_database() -> dict:
    try:
        with db.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as error:
        return _fail(f"database unreachable ({type(error).__name__})")
    return OK


def check_migrations() -> dict:
    try:
        with db.engine.connect() as conn:
            applied = set(
                conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
            )
    except Exception as error:
        return _fail(f"cannot read the schema revision ({type(error).__name__})")
    wanted = script_heads()
    if applied == wanted:
        return OK
    return {
        **_fail("the database schema is not at the code's migration heads; run 'flask db upgrade'"),
        "database": sorted(applied),
        "code": sorted(wanted),
    }


def check_redis() -> dict | None:
    """None when no ``REDIS_URL`` is configured (nothing to check)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None

    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except Exception as error:
        return _fail(f"redis unreachable ({type(error).__name__})")
    finally:
        client.close()
    return OK


CHECKS: dict[str, Callable[[], dict | None]] = {
    "database": check_database,
    "migrations": check_migrations,
    "redis": check_redis,
}


def readiness() -> tuple[bool, dict]:
    """(ready, {check name: result}); a check that does not apply is left out."""
    results = {}
    for name, check in CHECKS.items():
        result = check()
        if result is not None:
            results[name] = result
    ready = all(r["status"] == "ok" for r in results.values())
    return ready, results
