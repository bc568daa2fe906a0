"""Accounts, as a core plugin."""

from __future__ import annotations

from forum import hookimpl
from forum.kernel.types import Permission

WRITE_ACTIONS = {"comment.create", "comment.edit", "part.create", "part.edit", "flag.create"}


@hookimpl
def register_blueprints(app):
    # the view modules add their routes to bp when imported
    from forum.accounts import security_views, twofactor_views  # noqa: F401
    from forum.accounts.views import bp

    return [bp]


@hookimpl
def register_cli_commands(cli):
    from forum.accounts.cli import create_admin, create_member, grant_role

    cli.add_command(create_admin)
    cli.add_command(create_member)
    cli.add_command(grant_role)


@hookimpl
def register_permissions():
    return [
        Permission("admin.access", "See the admin pages", ("admin",)),
        Permission("users.manage_roles", "Grant and revoke roles", ("admin",)),
        Permission("account.reset_two_factor", "Reset a member's second factor", ("admin",)),
        Permission(
            "account.two_factor_required",
            "Must log in with two-factor authentication",
            ("moderator", "admin", "supervisor"),
        ),
    ]


@hookimpl
def check_permission(actor, action, resource):
    """A suspended account reads but never writes."""
    if getattr(actor, "is_suspended", False) and (
        action in WRITE_ACTIONS or action.endswith(".create")
    ):
        return False
    return None


@hookimpl
def app_created(app):
    from forum.accounts.services import load_user
    from forum.extensions import login_manager

    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to continue."
    from forum.visibility.actor import Anonymous

    login_manager.anonymous_user = Anonymous
