"""The ``flask forum`` command group; core concerns and plugins add commands by hook."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup


def build_cli(app: Flask) -> click.Group:
    group = AppGroup("forum", help="Manage the forum: accounts, content, plugins, search.")
    pm = app.extensions["forum.plugins"]
    pm.hook.register_cli_commands(cli=group)
    return group
