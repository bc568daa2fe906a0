"""Import and export, as a core plugin."""

from __future__ import annotations

from forum import hookimpl
from forum.interchange.cli import export_command, import_command


@hookimpl
def register_cli_commands(cli):
    cli.add_command(import_command)
    cli.add_command(export_command)
