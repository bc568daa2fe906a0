"""``flask forum pair-spaces ...``: key rotation and the retention purge. Output carries no content."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from forum.sdk import db
from forum_pair_spaces.demo import seed_mentors
from forum_pair_spaces.services.keys import rotate_key
from forum_pair_spaces.services.leaving import purge_expired


@click.group("pair-spaces", help="Private pair spaces: encryption keys and retention.")
def pair_spaces_cli():
    pass


@pair_spaces_cli.command("rotate-key")
@click.option(
    "--retire/--keep-old",
    default=False,
    help="Drop old keys once everything is re-encrypted (default: keep them).",
)
@with_appcontext
def rotate_key_command(retire: bool):
    """Generate a new key and re-encrypt every stored pair-space text under it."""

    changed = rotate_key(retire=retire)
    click.echo(f"Re-encrypted {changed} value(s) under the new key.")


def purge_job() -> str:
    """Delete spaces whose retention period passed; the ``pair_spaces.purge`` periodic job too."""

    ids = purge_expired()
    db.session.commit()
    return f"Deleted {len(ids)} space(s)."


@pair_spaces_cli.command("purge")
@with_appcontext
def purge_command():
    """Delete spaces whose retention period after the pair ended has passed."""
    click.echo(purge_job())


@pair_spaces_cli.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Add a few fictional mentors to "Find a mentor" (the demo site's directory)."""
    click.echo(f"Added {seed_mentors()} demo mentor profile(s).")
