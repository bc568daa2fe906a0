"""TOTP two-factor authentication (pyotp): required for moderators, admins and supervisors.

A code is accepted once: the time step it belongs to is stored, and a code of that step or an
earlier one is refused afterwards (RFC 6238 section 5.2), so a code read over a shoulder or
from a log cannot be replayed within its window.
"""

from __future__ import annotations

import hmac
import time

import pyotp
from flask import current_app
from sqlalchemy import or_, update

from forum.accounts.models import User
from forum.db import changed_rows
from forum.extensions import db
from forum.visibility.permissions import can

ISSUER = "Mentorship Forum"
#: steps either side of now that still count, for clocks a little out of step
DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def matching_step(secret: str | None, code: str, now: float | None = None) -> int | None:
    """The time step whose code is ``code`` (within the allowed drift), else None."""
    code = (code or "").replace(" ", "")
    if not secret or not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time() if now is None else now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify(secret: str | None, code: str) -> bool:
    """Whether ``code`` is right for ``secret`` now (set-up, where no step is stored yet)."""
    return matching_step(secret, code) is not None


def use_code(user: User, code: str) -> bool:
    """Accept ``code`` for ``user`` once: a step at or before the last one used is refused.
    Records the step on the user (the caller commits)."""
    step = matching_step(user.totp_secret, code)
    if step is None:
        return False
    # one conditional UPDATE: of two logins racing with the same code, only one moves the step
    moved = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .where(or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return changed_rows(moved) == 1


def required_for(user) -> bool:
    """Staff must use 2FA (``FORUM_REQUIRE_2FA`` can relax it, e.g. for tests of other features)."""
    if not current_app.config.get("FORUM_REQUIRE_2FA", True):
        return False
    return bool(
        getattr(user, "is_authenticated", False) and can("account.two_factor_required", actor=user)
    )
