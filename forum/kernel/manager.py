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
from forum.kernel.api import incompatibility

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
    "forum.plugin_admin.plugin",
    "forum.content.plugin",
    "forum.interchange.plugin",
    "forum.backup.plugin",
    "forum.ops.plugin",
    "forum.jobs.plugin",
    "forum.i18n.plugin",
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
    #: Why the plugin failed to load ("" when it loaded); a broken plugin is never registered.
    error: str = ""
    source: str = ""  # "entry point", "plugins dir" or "config"


#: Hooks that core gathers by calling each implementation itself: wrappers cannot work there.
def _gathered(name: str) -> bool:
    return name.startswith(("register_", "slot_"))


class ForumPluginManager(pluggy.PluginManager):
    """A pluggy manager that knows which plugins are core and which are installed extras."""

    def __init__(self):
        super().__init__("forum")
        self.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        #: Installed plugins that failed to import: reported on the admin page, always off.
        self.broken: dict[str, PluginInfo] = {}

    def register_plugin(
        self, module, name: str, *, is_core: bool = False, dist=None, source: str = "config"
    ) -> None:
        if self.get_plugin(name) is not None:
            return
        refused = incompatibility(module)
        if refused:  # its ``requires_api`` does not fit this forum: reported, never loaded
            log.error("plugin %s refused: %s", name, refused)
            self.record_broken(name, RuntimeError(refused), dist=dist, source=source)
            return
        self.register(module, name=name)
        info = PluginInfo(name=name, module=module, is_core=is_core, source=source)
        _describe(info, module, dist)
        info.hooks = sorted(h.name for h in self.get_hookcallers(module) or [])
        self.infos[name] = info

    def record_broken(self, name: str, error: BaseException, dist=None, source: str = "") -> None:
        info = PluginInfo(
            name=name,
            module=None,
            is_core=False,
            source=source,
            error=f"{type(error).__name__}: {error}",
        )
        _describe(info, None, dist)
        self.broken[name] = info

    def check_pending(self) -> None:
        """pluggy's check (a misspelled hook is an error) plus: no wrappers on gathered hooks."""
        super().check_pending()
        for name, caller in self.hook.__dict__.items():
            if not _gathered(name) or not hasattr(caller, "get_hookimpls"):
                continue
            for impl in caller.get_hookimpls():
                if impl.wrapper or impl.hookwrapper:
                    raise pluggy.PluginValidationError(
                        impl.plugin, f"{impl.plugin_name}: hook {name} does not take wrappers"
                    )

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


def _describe(info: PluginInfo, module, dist) -> None:
    """Distribution metadata (name, version, summary), else the module's own."""
    if dist is not None:
        info.distribution = dist.metadata["Name"] or ""
        info.version = dist.version or ""
        info.summary = dist.metadata.get("Summary") or ""
    if module is not None:
        info.version = info.version or str(getattr(module, "__version__", "") or "")
        doc = (getattr(module, "__doc__", None) or "").strip()
        info.summary = info.summary or (doc.splitlines()[0] if doc else "")


def _load_entry_points(pm: ForumPluginManager, only=None) -> None:
    """Every installed plugin, or only those named in ``only`` (``FORUM_ENTRY_POINTS``: a test
    suite names what it tests, whatever else the environment has installed)."""
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if only is not None and ep.name not in only:
            continue
        try:
            module = ep.load()
        except Exception as error:
            log.exception("plugin %s failed to load; it stays off", ep.name)
            pm.record_broken(ep.name, error, dist=ep.dist, source="entry point")
            continue
        pm.register_plugin(module, ep.name, dist=ep.dist, source="entry point")


def _load_plugins_dir(pm: ForumPluginManager, folder: str) -> None:
    """Single-file local plugins for one deployment (like Datasette's --plugins-dir)."""
    for path in sorted(Path(folder).glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"forum_local_plugins.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as error:
            log.exception("local plugin %s failed to load; it stays off", path.name)
            pm.record_broken(path.stem, error, source="plugins dir")
            continue
        pm.register_plugin(module, path.stem, source="plugins dir")


def _names(value) -> frozenset[str] | None:
    """A comma list (from the environment) or a sequence of names; None means no filter."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else value
    return frozenset(name.strip() for name in items if name.strip())


def build_manager(config) -> ForumPluginManager:
    """Register core modules, then every installed plugin (enabled or not, so models exist)."""
    pm = ForumPluginManager()
    for dotted in DEFAULT_PLUGINS:
        pm.register_plugin(importlib.import_module(dotted), dotted, is_core=True)
    if not os.environ.get("FORUM_DISABLE_PLUGIN_AUTOLOAD"):
        _load_entry_points(pm, _names(config.get("FORUM_ENTRY_POINTS")))
    if config.get("FORUM_PLUGINS_DIR"):
        _load_plugins_dir(pm, config["FORUM_PLUGINS_DIR"])
    for entry in config.get("FORUM_EXTRA_PLUGINS", ()):
        # a plugin object, or a ``(name, object)`` pair to give it its entry-point name
        name, module = entry if isinstance(entry, tuple) else (None, entry)
        pm.register_plugin(module, name or getattr(module, "__name__", repr(module)))
    if config.get("FORUM_TRACE_HOOKS"):
        pm.add_hookcall_monitoring(
            lambda name, impls, kw: log.info("hook %s -> %s", name, [i.plugin_name for i in impls]),
            lambda outcome, name, impls, kw: None,
        )
    return pm
