"""One pluggy manager per app: discovery, registration, and the enabled-set relay."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pluggy

from forum import hookspecs

log = logging.getLogger("forum.plugins")

ENTRY_POINT_GROUP = "forum.plugins"

#: Core concerns registered as plugins by name, so core dogfoods the hooks (Datasette's pattern).
DEFAULT_PLUGINS: tuple[str, ...] = (
    "forum.accounts.plugin",
    "forum.series.plugin",
    "forum.discussion.plugin",
    "forum.moderation.plugin",
    "forum.search.plugin",
    "forum.feeds.plugin",
    "forum.api.plugin",
    "forum.notifications.plugin",
    "forum.plugins.plugin",
    "forum.content.plugin",
)


@dataclass
class PluginInfo:
    """What the admin page and CLI show of one installed plugin."""

    name: str
    module: object
    is_core: bool
    version: str = ""
    summary: str = ""
    distribution: str = ""
    hooks: list[str] = field(default_factory=list)


class ForumPluginManager(pluggy.PluginManager):
    """A pluggy manager that knows which plugins are core and which are installed extras."""

    def __init__(self):
        super().__init__("forum")
        self.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}

    def register_plugin(self, module, name: str, *, is_core: bool = False, dist=None) -> None:
        if self.get_plugin(name) is not None:
            return
        self.register(module, name=name)
        info = PluginInfo(name=name, module=module, is_core=is_core)
        if dist is not None:
            info.distribution = dist.metadata["Name"]
            info.version = dist.version
            info.summary = dist.metadata.get("Summary") or ""
        info.hooks = sorted(h.name for h in self.get_hookcallers(module) or [])
        self.infos[name] = info

    def unregister_plugin(self, name: str) -> None:
        plugin = self.get_plugin(name)
        if plugin is not None:
            self.unregister(plugin, name=name)
        self.infos.pop(name, None)

    def extra_plugins(self) -> list[PluginInfo]:
        """Installed non-core plugins, by name."""
        return sorted((i for i in self.infos.values() if not i.is_core), key=lambda i: i.name)

    def owner_of(self, plugin_obj) -> str | None:
        return self.get_name(plugin_obj)


def _load_entry_points(pm: ForumPluginManager) -> None:
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            module = ep.load()
        except Exception:
            log.exception("plugin %s failed to load; it stays off", ep.name)
            continue
        pm.register_plugin(module, ep.name, dist=ep.dist)


def _load_plugins_dir(pm: ForumPluginManager, folder: str) -> None:
    """Single-file local plugins for one deployment (like Datasette's --plugins-dir)."""
    for path in sorted(Path(folder).glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"forum_local_plugins.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception:
            log.exception("local plugin %s failed to load; it stays off", path.name)
            continue
        pm.register_plugin(module, path.stem)


def build_manager(config) -> ForumPluginManager:
    """Register core modules, then every installed plugin (enabled or not, so models exist)."""
    pm = ForumPluginManager()
    for dotted in DEFAULT_PLUGINS:
        pm.register_plugin(importlib.import_module(dotted), dotted, is_core=True)
    if not os.environ.get("FORUM_DISABLE_PLUGIN_AUTOLOAD"):
        _load_entry_points(pm)
    if config.get("FORUM_PLUGINS_DIR"):
        _load_plugins_dir(pm, config["FORUM_PLUGINS_DIR"])
    for module in config.get("FORUM_EXTRA_PLUGINS", ()):
        pm.register_plugin(module, getattr(module, "__name__", repr(module)))
    if config.get("FORUM_TRACE_HOOKS"):
        pm.add_hookcall_monitoring(
            lambda name, impls, kw: log.info("hook %s -> %s", name, [i.plugin_name for i in impls]),
            lambda outcome, name, impls, kw: None,
        )
    return pm
