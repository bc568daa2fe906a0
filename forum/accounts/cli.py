"""``flask forum create-admin`` and friends."""

from __future__ import annotations

import click

from forum.accounts import services
from forum.extensions import db
from forum.plugins.types import ValidationError


@click.command("create-admin")
@click.option("--username", required=True)
@click.option("--email", required=True)
@click.option("--password", required=True, help="Or set it from an environment variable.")
def create_admin(username: str, email: str, password: str) -> None:
    """Create an admin account non-interactively (for the first admin)."""
    services.ensure_roles()
    try:
        user = services.create_user(username, email, password, roles=("member", "moderator", "admin"))
    except ValidationError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Admin {user.username} created.")


@click.command("grant-role")
@click.argument("username")
@click.argument("role")
def grant_role(username: str, role: str) -> None:
    """Give USERNAME the ROLE (member, expert, supervisor, moderator, admin)."""
    user = services.find_user(username)
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    services.grant_role(user, role)
    db.session.commit()
    click.echo(f"{user.username} now has the {role} role.")
