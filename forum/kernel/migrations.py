"""Alembic sees core's revisions plus every installed plugin's branch (enabled or not)."""

from __future__ import annotations

import os

from flask import current_app
from flask_migrate.cli import upgrade

from forum.kernel.hooks import call_all, flatten
from forum.kernel.registries import per_plugin

CORE_HEAD_LABEL = "core"


def plugin_locations() -> list:
    return flatten(call_all("register_migrations"))


def locations_of(plugin_name: str) -> list:
    """The ``MigrationLocation``s one plugin registered."""

    pm = current_app.extensions["forum.plugins"]
    return [
        loc for name, _core, loc in per_plugin(pm, "register_migrations") if name == plugin_name
    ]


def configure_alembic(config):
    """Flask-Migrate hook: add plugin version folders to ``version_locations``."""
    core = os.path.join(current_app.extensions["migrate"].directory, "versions")
    paths = [core] + [str(loc.path) for loc in plugin_locations()]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(paths))
    return config


def upgrade_all_heads_by_default() -> None:
    """Make plain ``flask db upgrade`` mean ``upgrade heads``.

    Core and every installed plugin are separate Alembic branches, so there are several heads;
    Flask-Migrate's default target ``head`` would refuse with "multiple heads". Idempotent.
    """

    for param in upgrade.params:
        if param.name == "revision" and param.default == "head":
            param.default = "heads"
