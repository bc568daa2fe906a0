"""``flask forum create-admin`` and friends."""

from __future__ import annotations

import click

from forum.accounts import services
from forum.extensions import db
from forum.kernel.types import ValidationError


def _create(username: str, email: str, password: str, roles: tuple[str, ...]):
    services.ensure_roles()
    try:
        user = services.create_user(username, email, password, roles=roles)
    except ValidationError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    return user


_account_options = [
    click.option("--username", required=True),
    click.option("--email", required=True),
    click.option("--password", required=True, help="Or set it from an environment variable."),
]


def _with_account_options(command):
    for option in reversed(_account_options):
        command = option(command)
    return command


@click.command("create-admin")
@_with_account_options
def create_admin(username: str, email: str, password: str) -> None:
    """Create an admin account non-interactively (for the first admin)."""
    user = _create(username, email, password, ("member", "moderator", "admin"))
    click.echo(f"Admin {user.username} created.")


@click.command("create-member")
@_with_account_options
def create_member(username: str, email: str, password: str) -> None:
    """Create a member account non-interactively (scripts, benchmarks)."""
    user = _create(username, email, password, ("member",))
    click.echo(f"Member {user.username} created.")


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
