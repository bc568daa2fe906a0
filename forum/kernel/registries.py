"""Registries built once at start-up from every installed plugin (enabled or not).

Registering everything, and gating behaviour at call time, keeps models, routes and migrations
stable while plugins are switched on and off.
"""

from __future__ import annotations

import dataclasses

from flask import Flask

from forum.kernel.types import ContentFormat, ContentType, NotificationKind, Permission, Setting


def per_plugin(pm, hook_name: str, **kwargs):
    """Yield ``(plugin_name, is_core, item)`` for each item each implementation returns."""
    caller = getattr(pm.hook, hook_name)
    for impl in reversed(caller.get_hookimpls()):
        if impl.wrapper or impl.hookwrapper:  # refused by check_pending; never called here
            continue
        result = impl.function(**{k: kwargs[k] for k in impl.argnames if k in kwargs})
        info = pm.infos.get(impl.plugin_name)
        is_core = bool(info and info.is_core)
        for item in result or []:
            yield impl.plugin_name, is_core, item


def _content_types(pm) -> dict[str, ContentType]:
    types: dict[str, ContentType] = {}
    for plugin, is_core, ct in per_plugin(pm, "register_content_types"):
        if not is_core and ct.owner == "core":
            ct = dataclasses.replace(ct, owner=plugin)
        if ct.name in types:
            raise RuntimeError(f"content type {ct.name!r} registered twice")
        types[ct.name] = ct
    return types


def _by_name(pm, hook_name: str, owners: dict) -> dict:
    out = {}
    for plugin, is_core, item in per_plugin(pm, hook_name):
        key = getattr(item, "key", None) or item.name
        out[key] = item
        owners[(hook_name, key)] = "core" if is_core else plugin
    return out


def owner(app, hook_name: str, key: str) -> str | None:
    """The plugin that registered ``key`` through ``hook_name`` ("core" for core modules)."""
    return app.extensions["forum.owners"].get((hook_name, key))


def collect(app: Flask) -> None:
    pm = app.extensions["forum.plugins"]
    with app.app_context():
        app.extensions["forum.content_types"] = _content_types(pm)
        owners = app.extensions["forum.owners"] = {}
        app.extensions["forum.permissions"] = _by_name(pm, "register_permissions", owners)
        app.extensions["forum.settings"] = _by_name(pm, "register_settings", owners)
        app.extensions["forum.content_formats"] = _by_name(pm, "register_content_formats", owners)
        app.extensions["forum.notification_kinds"] = _by_name(
            pm, "register_notification_kinds", owners
        )


def permissions(app) -> dict[str, Permission]:
    return app.extensions["forum.permissions"]


def settings(app) -> dict[str, Setting]:
    return app.extensions["forum.settings"]


def content_formats(app) -> dict[str, ContentFormat]:
    return app.extensions["forum.content_formats"]


def notification_kinds(app) -> dict[str, NotificationKind]:
    return app.extensions["forum.notification_kinds"]
