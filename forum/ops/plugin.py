"""Operations, as a core plugin: the probes and crawler files are one small blueprint."""

from __future__ import annotations

from forum import hookimpl


@hookimpl
def register_blueprints(app):
    from forum.ops.views import bp

    return [bp]
