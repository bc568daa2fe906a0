"""Staff roles granted and revoked from the web: each change has a reason, lands in the audit
log, and fires ``role_changed`` after the commit (notifications tells the member)."""

from __future__ import annotations

from flask_babel import gettext

from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.audit import log as audit
from forum.kernel.events import emit
from forum.kernel.types import ValidationError

#: The roles an admin hands out on a member's page ("admin" stays with the CLI).
MANAGED_ROLES = ("expert", "supervisor", "moderator")


def change_role(member: User, actor, role: str, grant: bool, reason: str) -> bool:
    """Grant (or revoke) ``role`` to ``member``; False when the member already has (or lacks) it."""
    if role not in MANAGED_ROLES:
        raise ValidationError(gettext("Choose expert, supervisor or moderator."), field="role")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            gettext("Give a reason: the member and the audit log read it."), field="reason"
        )
    if (role in member.role_names) == grant:
        return False
    before = sorted(member.role_names)
    if grant:
        accounts.grant_role(member, role)
    else:
        accounts.revoke_role(member, role)
    action = "role.grant" if grant else "role.revoke"
    after = {"roles": sorted(member.role_names), "role": role}
    audit.record(action, actor, "user", member.id, reason, {"roles": before}, after)
    emit("role_changed", user=member, role=role, granted=grant, actor=actor, reason=reason)
    return True
