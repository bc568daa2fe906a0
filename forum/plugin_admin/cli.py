"""``flask forum plugins list|enable|disable|settings``, ``plugin uninstall`` and ``new-plugin``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from forum.kernel.settings import get_setting
from forum.kernel.types import ValidationError
from forum.plugin_admin import service
from forum.plugin_admin.scaffold import ScaffoldError, scaffold


def _fail(message: str):
    raise click.ClickException(message)


def _find(name: str):
    try:
        return service.find(name)
    except service.UnknownPlugin:
        _fail(f"No installed plugin is called {name!r}. See `flask forum plugins list`.")


plugins_group = AppGroup("plugins", help="List, enable, disable and configure plugins.")
plugin_group = AppGroup("plugin", help="Act on one plugin (uninstall).")


@plugins_group.command("list")
def list_plugins():
    """Show installed plugins, their state, version and hooks."""
    rows = service.plugin_rows()
    if not rows:
        click.echo("No plugins installed.")
    for row in rows:
        info = row.info
        status = "broken" if row.broken else ("enabled" if row.enabled else "disabled")
        click.echo(
            f"{info.name} {info.version or '-'} {status}"
            + (" (pinned by FORUM_PLUGINS)" if row.pinned else "")
        )
        if info.summary:
            click.echo(f"    {info.summary}")
        if info.error:
            click.echo(f"    failed to load: {info.error}")
        if info.hooks:
            click.echo(f"    hooks: {', '.join(info.hooks)}")


def _switch(name: str, enabled: bool) -> None:
    _find(name)
    try:
        changed = service.set_plugin_enabled(name, enabled)
    except ValidationError as error:
        _fail(error.message)
    word = "enabled" if enabled else "disabled"
    click.echo(f"{name} {word}." if changed else f"{name} was already {word}.")


@plugins_group.command("enable")
@click.argument("name")
def enable(name):
    """Switch plugin NAME on for every worker."""
    _switch(name, True)


@plugins_group.command("disable")
@click.argument("name")
def disable(name):
    """Switch plugin NAME off for every worker (its data stays)."""
    _switch(name, False)


@plugins_group.command("settings")
@click.argument("name")
@click.argument("key", required=False)
@click.argument("value", required=False)
def settings(name, key, value):
    """Show plugin NAME's settings, or set KEY to VALUE (checked against its declared type)."""
    _find(name)
    if key is None:
        declared = service.settings_of(name)
        if not declared:
            click.echo(f"{name} has no settings.")

        for setting in declared:
            click.echo(
                f"{setting.key} = {get_setting(setting.key)!r}  ({setting.type.__name__}; "
                f"default {setting.default!r}) {setting.label}"
            )
        return
    if value is None:
        _fail("Give both KEY and VALUE to change a setting.")
    try:
        stored = service.update_settings(name, {key: value})
    except ValidationError as error:
        _fail(error.message)
    click.echo(f"{key} = {stored[key]!r}")


@plugin_group.command("uninstall")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Confirm: drop the plugin's tables and data.")
def uninstall(name, yes):
    """Drop plugin NAME's tables (its migrations down to base), settings and state."""
    _find(name)
    if not yes:
        _fail(f"This deletes every table and row of {name}. Run again with --yes to confirm.")
    try:
        labels = service.uninstall(name)
    except ValidationError as error:
        _fail(error.message)
    click.echo(
        f"{name}: dropped migration branches {', '.join(labels) or '(none)'}; "
        "it stays switched off. Remove the package with pip to finish."
    )


@click.command("new-plugin")
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where to create the project folder.",
)
def new_plugin(name, directory):
    """Scaffold an installable plugin NAME (a reading-time badge to start from)."""

    try:
        target = scaffold(name, directory)
    except ScaffoldError as error:
        _fail(str(error))
    click.echo(f"Created {target}. Next: pip install -e {target} && flask db upgrade heads")
