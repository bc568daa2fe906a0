"""An admin resets a member's second factor (lost phone and codes): audited, and the member told.

The member's secret, last used step and recovery codes go; staff must set up a new factor at
their next log-in (``_enforce_enrolment``). The e-mail goes through the outbox in the same
transaction as the reset, so a reset is never left untold.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext

from forum.accounts import recovery
from forum.accounts.models import User
from forum.audit import log as audit
from forum.mail.outbox import queue_mail
from forum.mail.text import absolute_url, written_in
from forum.moderation.services import check_can_moderate_user


def reset_two_factor(member: User, actor, reason: str) -> None:
    """Turn ``member``'s two-factor authentication off (the caller commits)."""
    check_can_moderate_user(member, actor)
    had_it = member.has_two_factor
    member.totp_secret = None
    member.totp_last_step = None
    recovery.clear(member)
    audit.record(
        "user.two_factor_reset",
        actor,
        "user",
        member.id,
        reason,
        {"two_factor": had_it},
        {"two_factor": False},
    )
    _tell(member, reason)


def _tell(member: User, reason: str) -> None:
    link = absolute_url(url_for("accounts.two_factor_setup"))
    with written_in(member.locale):
        queue_mail(
            member.email,
            gettext("Your two-factor authentication was reset"),
            gettext(
                "Hello %(name)s,\n\n"
                "An administrator turned off two-factor authentication on your account.\n"
                "Reason given: %(reason)s\n\n"
                "Set it up again here after you log in:\n%(link)s\n\n"
                "If you did not ask for this, reply to this message or contact the site's "
                "staff at once.",
                name=member.name,
                reason=reason,
                link=link,
            ),
        )
