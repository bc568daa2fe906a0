"""The plugin layer's own pages and commands, as a core plugin."""

from __future__ import annotations

from forum import hookimpl
from forum.plugins.types import Permission


@hookimpl
def register_permissions():
    return [Permission("plugins.manage", "Enable, disable and configure plugins", ("admin",))]
