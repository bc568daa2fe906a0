"""The content pipeline, as a core plugin: the editor's preview endpoint."""

from __future__ import annotations

from forum import hookimpl
from forum.content.rerender import rerender_command
from forum.content.views import bp


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def register_cli_commands(cli):
    cli.add_command(rerender_command)
