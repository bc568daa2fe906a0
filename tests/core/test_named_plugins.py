"""The core suite runs with the plugins it names (pytest ini ``forum_plugins``), whatever else
is installed: a stray plugin in the environment neither loads nor changes what tests see."""

import importlib.metadata
import sys
import types

from forum import testing
from forum.kernel.manager import ENTRY_POINT_GROUP, build_manager

STRAY = "stray_plugin_for_naming_test"


def _stray_installed(monkeypatch):
    """An extra installed plugin: a module and an entry point for it, as pip would leave."""
    module = types.ModuleType(STRAY)
    module.__doc__ = "A plugin the suite never named."
    monkeypatch.setitem(sys.modules, STRAY, module)
    stray = importlib.metadata.EntryPoint(name="stray", value=STRAY, group=ENTRY_POINT_GROUP)
    installed = importlib.metadata.entry_points

    def entry_points(**selection):
        found = installed(**selection)
        if selection.get("group") == ENTRY_POINT_GROUP:
            return importlib.metadata.EntryPoints([*found, stray])
        return found

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)


def test_the_suite_names_the_bundled_plugins():
    assert testing.NAMED_PLUGINS == ("pair_spaces", "qa")


def test_a_stray_installed_plugin_is_not_loaded_by_the_suites_apps(monkeypatch, make_app):
    _stray_installed(monkeypatch)
    app = make_app()
    names = {name for name, _ in app.extensions["forum.plugins"].list_name_plugin()}
    assert "stray" not in names and {"pair_spaces", "qa"} <= names


def test_without_names_every_installed_plugin_loads(monkeypatch):
    """The filter is the suite's choice, not a default: a deployment loads what is installed."""
    _stray_installed(monkeypatch)
    names = {name for name, _ in build_manager({}).list_name_plugin()}
    assert "stray" in names
    names = {name for name, _ in build_manager({"FORUM_ENTRY_POINTS": "qa"}).list_name_plugin()}
    assert "stray" not in names and "qa" in names and "pair_spaces" not in names
