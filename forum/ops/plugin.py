"""Operations, as a core plugin: the probes and crawler files are one small blueprint."""

from __future__ import annotations

from forum import hookimpl
from forum.ops.views import bp


@hookimpl
def register_blueprints(app):
    return [bp]
