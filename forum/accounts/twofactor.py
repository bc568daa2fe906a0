"""TOTP two-factor authentication (pyotp): required for moderators, admins and supervisors."""

from __future__ import annotations

import pyotp
from flask import current_app

from forum.accounts.models import User
from forum.visibility.permissions import can

ISSUER = "Mentorship Forum"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def verify(secret: str | None, code: str) -> bool:
    code = (code or "").replace(" ", "")
    return bool(secret) and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


def required_for(user) -> bool:
    """Staff must use 2FA (``FORUM_REQUIRE_2FA`` can relax it, e.g. for tests of other features)."""
    if not current_app.config.get("FORUM_REQUIRE_2FA", True):
        return False
    return bool(
        getattr(user, "is_authenticated", False) and can("account.two_factor_required", actor=user)
    )
