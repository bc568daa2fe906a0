"""Page declarations of core and plugins (``register_page_declarations``), read once per app.

The page cache skips every ``NonCacheablePath``; ``editor_kind(page)`` tells a plugin which kind of
editor an endpoint shows, so no plugin names core endpoints.
"""

from __future__ import annotations

from flask import current_app

from forum.kernel.hooks import call_all, flatten
from forum.kernel.types import EditorPage, NonCacheablePath

_KEY = "forum.page_declarations"


def declarations(app=None) -> list:
    """Every installed plugin's declarations (enabled or not: skipping a cache is always safe)."""
    app = app or current_app
    if _KEY not in app.extensions:
        with app.app_context():
            app.extensions[_KEY] = flatten(call_all("register_page_declarations"))
    return app.extensions[_KEY]


def noncacheable_prefixes(app=None) -> tuple[str, ...]:
    """The path prefixes the shared page cache never stores."""
    return tuple(d.prefix for d in declarations(app) if isinstance(d, NonCacheablePath))


def editor_kind(page: str | None) -> str | None:
    """The kind of editor (e.g. ``"comment editor"``, ``"part editor"``) the endpoint ``page``
    shows, or None when it shows none."""
    for item in declarations():
        if isinstance(item, EditorPage) and item.endpoint == page:
            return item.kind
    return None
