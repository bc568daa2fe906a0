"""The invitation e-mail: the one-time link goes to the invitee through the outbox, like a
password reset (an absolute link on the configured origin, never the request's Host)."""

from __future__ import annotations

from flask_babel import format_date, format_datetime, gettext

from forum.extensions import db
from forum.kernel.locales import N_
from forum.mail.outbox import queue_mail
from forum.mail.text import absolute_url
from forum.series.links import build
from forum.series.models import Characteristic, Invitation

ROLE_WORDS = {
    "expert": N_("an invited expert, to write a part of the series"),
    "supervisor": N_("a mentoring supervisor, to answer pairs' requests for guidance"),
    "member": N_("a member"),
}


def _slot_line(invitation: Invitation) -> str:
    ch = (
        db.session.get(Characteristic, invitation.characteristic_id)
        if invitation.characteristic_id is not None
        else None
    )
    if ch is None:
        return ""
    slot = f"KMC {ch.number}) {ch.title}"
    if invitation.planned_date is None:
        line = gettext(
            "Your slot: %(slot)s, part %(number)s.", slot=slot, number=invitation.part_number
        )
    else:
        line = gettext(
            "Your slot: %(slot)s, part %(number)s, planned for %(date)s.",
            slot=slot,
            number=invitation.part_number,
            date=format_datetime(invitation.planned_date, "long"),
        )
    return line + "\n\n"


def send_invitation(invitation: Invitation, token: str) -> str:
    """Queue the invitation e-mail (caller's transaction), in the language its inviter uses;
    returns the absolute link it holds."""
    link = absolute_url(build("series.accept_invitation", token=token) or "/")
    role = ROLE_WORDS.get(invitation.role)
    body = gettext(
        "Hello,\n\nYou are invited to join the Mentorship Forum as %(role)s.\n\n"
        "%(slot)sOpen this link to create your account (it works once, until %(date)s):\n"
        "%(link)s\n\n"
        "If you did not expect this invitation, ignore this message; nothing happens.\n",
        role=gettext(role) if role else invitation.role,
        slot=_slot_line(invitation),
        date=format_date(invitation.expires_at, "long"),
        link=link,
    )
    queue_mail(invitation.email, gettext("You are invited to the Mentorship Forum"), body)
    return link
