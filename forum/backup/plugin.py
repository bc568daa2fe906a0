"""Backups, as a core plugin."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app

from forum import hookimpl
from forum.backup.service import BackupError, backup_sqlite


@click.command("backup")
@click.argument("target", required=False)
def backup_command(target: str | None) -> None:
    """Copy the live SQLite database to TARGET (default: instance/backups/forum-<time>.sqlite3)."""

    if target is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = f"{current_app.instance_path}/backups/forum-{stamp}.sqlite3"
    try:
        path = backup_sqlite(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {path} (integrity check ok).")


@hookimpl
def register_cli_commands(cli):
    cli.add_command(backup_command)
