"""The plugin layer: manager, the enabled-set relay ``hook``, slots and public types.

Plugin code imports from here (and ``forum.hookimpl``), never from core internals.
"""

from __future__ import annotations

from flask import current_app

from forum.kernel.state import disabled_names, is_enabled


def plugin_manager(app=None):
    """The app's pluggy manager (one per app, never process-global)."""
    return (app or current_app).extensions["forum.plugins"]


class HookRelay:
    """``hook.<name>(**kwargs)`` calls only the implementations of enabled plugins."""

    def __getattr__(self, name: str):
        pm = plugin_manager()
        caller = getattr(pm.hook, name)
        off = disabled_names()
        if not off:
            return caller
        plugins = [p for p in (pm.get_plugin(n) for n in off) if p is not None]
        return pm.subset_hook_caller(name, remove_plugins=plugins)


hook = HookRelay()


def call_all(name: str, **kwargs):
    """Call hook ``name`` on *every* installed plugin, enabled or not (registries, migrations)."""
    return getattr(plugin_manager().hook, name)(**kwargs)


def flatten(results) -> list:
    """Hooks that return lists give a list of lists; this joins them, skipping None."""
    out = []
    for item in results or []:
        if item is None:
            continue
        if isinstance(item, (list, tuple)):
            out.extend(item)
        else:
            out.append(item)
    return out


__all__ = [
    "HookRelay",
    "call_all",
    "disabled_names",
    "flatten",
    "hook",
    "is_enabled",
    "plugin_manager",
]
