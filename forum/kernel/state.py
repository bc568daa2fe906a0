"""Which plugins are enabled: stored in the database, honoured by every worker within one request.

Each process caches the enabled set against a ``plugins_version`` counter and reloads the set
when another worker changed it; the counter is read once per request (the page cache reads it in
its own version query for anonymous GETs, so those pay nothing extra). Outside requests (CLI,
jobs) and when ``FORUM_PLUGINS_VERSION_TTL`` > 0 (seconds, default 0 = every request, the
documented "converges within one request") it is read at most once per TTL per process.
"""

from __future__ import annotations

import time

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import select

from forum.extensions import db
from forum.kernel.models import PluginState, SiteSetting
from forum.kernel.settings import stored_settings

PREFETCH_KEY = "forum.plugins.prefetch"
VERSION_KEY = "plugins_version"


def _read_version() -> int:
    if has_request_context():  # (with the settings: a writing request needs both, one statement)
        return int(stored_settings().get(VERSION_KEY) or 0)
    row = db.session.execute(
        select(SiteSetting.value).where(SiteSetting.key == VERSION_KEY)
    ).scalar_one_or_none()
    return int(row or 0)


def _cached_version(ttl: float | None = None) -> int:
    """The counter, read from the database at most once per TTL in this process."""
    if ttl is None:
        ttl = float(current_app.config.get("FORUM_PLUGINS_VERSION_TTL", 0))
    cache = current_app.extensions.setdefault("forum.plugins.version", {})
    now = time.monotonic()
    if ttl > 0 and cache.get("until", 0.0) > now:
        return cache["v"]
    version = _read_version()
    cache.update(v=version, until=now + ttl)
    return version


def prefetch_version_with(app, read) -> None:
    """Let a feature above the kernel (the page cache) read this version with its own.

    ``read()`` runs once per request before the version is needed; it may put the value in
    ``request.environ["forum.plugins_version"]``. Inverted so the kernel never imports the feature.
    """
    app.extensions[PREFETCH_KEY] = read


def current_version() -> int:
    if has_request_context():
        if "_forum_plugins_version" not in g:
            prefetch = current_app.extensions.get(PREFETCH_KEY)
            if prefetch is not None:
                prefetch()  # the page cache reads it with its own version (one statement for both)
            given = request.environ.get("forum.plugins_version")
            g._forum_plugins_version = given if given is not None else _cached_version()
        return g._forum_plugins_version
    # CLI and jobs (e.g. a reindex calls hooks per row): at most one read a second
    return (
        _cached_version(max(1.0, float(current_app.config.get("FORUM_PLUGINS_VERSION_TTL", 0))))
        if has_app_context()
        else _read_version()
    )


def bump_version() -> None:
    """Tell every worker that the enabled set changed (call inside the changing transaction)."""
    row = db.session.get(SiteSetting, VERSION_KEY)
    if row is None:
        db.session.add(SiteSetting(key=VERSION_KEY, value=1))
    else:
        row.value = int(row.value or 0) + 1
    if has_app_context():
        g.pop("_forum_plugins_version", None)
        g.pop("_forum_disabled", None)
        g.pop("_forum_settings", None)
        current_app.extensions.pop("forum.plugins.version", None)


def _pinned(app) -> set[str] | None:
    raw = app.config.get("FORUM_PLUGINS")
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def disabled_names() -> frozenset[str]:
    """Names of installed extra plugins that are off right now (core plugins are never off)."""
    if not has_app_context():
        return frozenset()
    if has_request_context() and "_forum_disabled" in g:  # asked per slot and per hook call
        return g._forum_disabled
    off = _disabled_names()
    if has_request_context():
        g._forum_disabled = off
    return off


def _disabled_names() -> frozenset[str]:
    app = current_app._get_current_object()
    pm = app.extensions["forum.plugins"]
    extras = {info.name for info in pm.extra_plugins()}
    if not extras:
        return frozenset()
    pinned = _pinned(app)
    if pinned is not None and not app.config.get("FORUM_PLUGINS_ALLOW_DB"):
        return frozenset(extras - pinned)
    cache = app.extensions.setdefault("forum.plugins.cache", {})
    try:
        version = current_version()
    except Exception:  # tables not migrated yet (e.g. during `flask db upgrade`)
        db.session.rollback()
        return frozenset()
    if cache.get("version") != version:
        rows = db.session.execute(select(PluginState.name, PluginState.enabled)).all()
        off = {name for name, enabled in rows if not enabled and name in extras}
        if pinned is not None:
            off |= extras - pinned
        cache.update(version=version, disabled=frozenset(off))
    return cache["disabled"]


def is_enabled(name: str) -> bool:
    return name not in disabled_names()


def set_enabled(name: str, enabled: bool) -> None:
    """Flip a plugin on or off; the caller commits. Data and tables are kept either way."""
    state = db.session.get(PluginState, name)
    if state is None:
        state = PluginState(name=name, enabled=enabled, settings={})
        db.session.add(state)
    state.enabled = enabled
    bump_version()
