"""Typed settings declared by ``register_settings``, stored as JSON rows, read with defaults."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, has_request_context
from sqlalchemy import select

from forum.extensions import db
from forum.kernel.models import SiteSetting


def stored_settings() -> dict[str, Any]:
    """Every stored row (settings and the kernel's counters), read once per request."""
    if has_request_context() and "_forum_settings" in g:
        return g._forum_settings
    table = SiteSetting.__table__  # (a Core read on the session's connection: half the cost)
    rows = dict(db.session.connection().execute(select(table.c.key, table.c.value)).all())
    if has_request_context():
        g._forum_settings = rows
    return rows


def get_setting(key: str, default: Any = None) -> Any:
    """The stored value, else the declared default, else ``default``."""
    stored = stored_settings()
    if key in stored:
        return stored[key]
    declared = current_app.extensions.get("forum.settings", {}).get(key)
    return declared.default if declared is not None else default


def set_setting(key: str, raw: Any) -> Any:
    """Validate against the declared type and store; the caller commits."""
    declared = current_app.extensions["forum.settings"].get(key)
    if declared is None:
        raise KeyError(key)
    value = declared.coerce(raw)
    row = db.session.get(SiteSetting, key)
    if row is None:
        db.session.add(SiteSetting(key=key, value=value))
    else:
        row.value = value
    if has_request_context():
        g.pop("_forum_settings", None)
    return value
