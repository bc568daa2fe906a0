"""The content pipeline, as a core plugin: the editor's preview endpoint."""

from __future__ import annotations

from forum import hookimpl


@hookimpl
def register_blueprints(app):
    from forum.content.views import bp

    return [bp]


@hookimpl
def register_cli_commands(cli):
    from forum.content.rerender import rerender_command

    cli.add_command(rerender_command)
