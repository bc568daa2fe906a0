"""Languages, as a core plugin: the switcher's blueprint."""

from __future__ import annotations

from forum import hookimpl


@hookimpl
def register_blueprints(app):
    from forum.i18n.views import bp  # (the blueprint loads only when the app mounts it)

    return [bp]
