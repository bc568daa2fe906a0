"""The plugin layer's own pages and commands, as a core plugin."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext

from forum import hookimpl
from forum.kernel.types import NavItem, Permission
from forum.plugin_admin.cli import new_plugin, plugin_group, plugins_group
from forum.plugin_admin.installs import sync_installed
from forum.plugin_admin.views import bp, may_see_admin
from forum.visibility.permissions import can


@hookimpl
def register_permissions():
    return [Permission("plugins.manage", "Enable, disable and configure plugins", ("admin",))]


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def register_cli_commands(cli):
    cli.add_command(plugins_group)
    cli.add_command(plugin_group)
    cli.add_command(new_plugin)


@hookimpl
def slot_admin_menu(actor):
    return (
        [NavItem(gettext("Plugins"), url_for("admin.plugins"), order=90)]
        if can("plugins.manage", actor=actor)
        else []
    )


@hookimpl
def slot_layout_nav(request, actor):
    """ "Admin" for staff: the admin index lists the admin pages their roles allow."""
    if not getattr(actor, "is_authenticated", False) or not may_see_admin(actor):
        return None
    return NavItem(gettext("Admin"), url_for("admin.index"), order=95)


@hookimpl
def app_created(app):
    sync_installed()
