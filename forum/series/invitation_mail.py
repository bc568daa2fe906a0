"""The invitation e-mail: the one-time link goes to the invitee through the outbox, like a
password reset (an absolute link on the configured origin, never the request's Host)."""

from __future__ import annotations

from forum.extensions import db
from forum.mail.outbox import queue_mail
from forum.mail.text import absolute_url
from forum.series.links import build
from forum.series.models import Characteristic, Invitation

ROLE_WORDS = {
    "expert": "an invited expert, to write a part of the series",
    "supervisor": "a mentoring supervisor, to answer pairs' requests for guidance",
    "member": "a member",
}


def _slot_line(invitation: Invitation) -> str:
    ch = (
        db.session.get(Characteristic, invitation.characteristic_id)
        if invitation.characteristic_id is not None
        else None
    )
    if ch is None:
        return ""
    line = f"Your slot: KMC {ch.number}) {ch.title}, part {invitation.part_number}"
    if invitation.planned_date is not None:
        line += f", planned for {invitation.planned_date.strftime('%-d %B %Y, %H:%M UTC')}"
    return line + ".\n\n"


def send_invitation(invitation: Invitation, token: str) -> str:
    """Queue the invitation e-mail (caller's transaction); returns the absolute link it holds."""
    link = absolute_url(build("series.accept_invitation", token=token) or "/")
    expires = invitation.expires_at.strftime("%-d %B %Y")
    body = (
        f"Hello,\n\nYou are invited to join the Mentorship Forum as "
        f"{ROLE_WORDS.get(invitation.role, invitation.role)}.\n\n"
        f"{_slot_line(invitation)}"
        f"Open this link to create your account (it works once, until {expires}):\n{link}\n\n"
        "If you did not expect this invitation, ignore this message; nothing happens.\n"
    )
    queue_mail(invitation.email, "You are invited to the Mentorship Forum", body)
    return link
