"""Accounts, as a core plugin."""

from __future__ import annotations

from forum import hookimpl
from forum.accounts.blueprint import bp
from forum.accounts.cli import create_admin, create_member, grant_role
from forum.accounts.services import load_user
from forum.extensions import login_manager
from forum.kernel.types import Permission
from forum.visibility.actor import Anonymous

WRITE_ACTIONS = {"comment.create", "comment.edit", "part.create", "part.edit", "flag.create"}


@hookimpl
def register_blueprints(app):
    from forum.accounts import security_views, twofactor_views, views  # noqa: F401  (their routes join bp)

    return [bp]


@hookimpl
def register_cli_commands(cli):
    cli.add_command(create_admin)
    cli.add_command(create_member)
    cli.add_command(grant_role)


@hookimpl
def register_permissions():
    return [
        Permission("admin.access", "See the admin pages", ("admin",)),
        Permission(
            "admin.index",
            "See the Admin entry listing the admin pages one's other permissions allow",
            ("moderator", "admin"),
        ),
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
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to continue."

    login_manager.anonymous_user = Anonymous
