"""Invitations: single-use, expiring links that turn a guest into an expert (or another role).

Only the SHA-256 of a token is stored; the link is shown once, when it is made. An invitation
bound to a slot (characteristic, part number, planned date) also creates the expert's draft for
that slot when accepted, so the moderators' calendar shows the planned part at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select
from werkzeug.exceptions import Gone, NotFound

from forum.accounts import services as accounts
from forum.audit import log as audit
from forum.content import render_markdown
from forum.db import utcnow
from forum.extensions import db
from forum.kernel.events import emit
from forum.kernel.types import ValidationError
from forum.series.models import ExpertProfile, Invitation, Part, PartStatus

INVITABLE_ROLES = ("expert", "supervisor", "member")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_invitation(
    actor,
    email: str,
    role: str = "expert",
    expires_in_days: int = 14,
    characteristic_id: int | None = None,
    part_number: int | None = None,
    planned_date: datetime | None = None,
) -> tuple[Invitation, str]:
    """Make an invitation; returns it and the raw token (shown once, never stored)."""
    if role not in INVITABLE_ROLES:
        raise ValidationError(gettext("Unknown role."), field="role")
    if not 1 <= expires_in_days <= 90:
        raise ValidationError(gettext("Between 1 and 90 days."), field="expires_in_days")
    if characteristic_id is not None and part_number is None:
        raise ValidationError(gettext("A slot needs a part number."), field="part_number")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=hash_token(token),
        email=email.strip(),
        role=role,
        expires_at=utcnow() + timedelta(days=expires_in_days),
        created_by_id=actor.id,
        characteristic_id=characteristic_id,
        part_number=part_number if characteristic_id else None,
        planned_date=planned_date if characteristic_id else None,
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        "invitation.create",
        actor,
        "invitation",
        invitation.id,
        "",
        None,
        {"role": role, "expires_at": invitation.expires_at.isoformat()},
    )
    return invitation, token


def find_usable(token: str) -> Invitation:
    """The invitation for ``token``: 404 if unknown, 410 if used or expired."""
    if not token or len(token) > 200:
        raise NotFound("This invitation link is not valid.")
    invitation = db.session.execute(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if invitation is None:
        raise NotFound("This invitation link is not valid.")
    if invitation.used_at is not None:
        raise Gone("This invitation has already been used. Log in, or ask for a new invitation.")
    if invitation.expires_at <= utcnow():
        raise Gone("This invitation has expired. Ask the moderators for a new one.")
    return invitation


def accept_invitation(
    invitation: Invitation,
    *,
    username: str,
    password: str,
    display_name: str,
    bio: str,
    affiliation: str,
    country: str,
    website: str,
):
    """Create the account and expert profile (and the slot's draft); mark the invitation used."""
    if website and not website.startswith(("https://", "http://")):
        raise ValidationError(gettext("The website must start with https://"), field="website")
    accounts.ensure_roles()
    user = accounts.create_user(
        username,
        invitation.email,
        password,
        roles=("member", invitation.role),
        display_name=display_name.strip(),
    )
    profile = ExpertProfile(
        user_id=user.id,
        bio_md=bio or "",
        bio_html=render_markdown(bio or "", "profile"),
        affiliation=affiliation.strip(),
        country=country.strip(),
        website=website.strip(),
    )
    db.session.add(profile)
    invitation.used_at = utcnow()
    invitation.used_by_id = user.id
    if invitation.characteristic_id is not None and invitation.role == "expert":
        db.session.add(
            Part(
                characteristic_id=invitation.characteristic_id,
                part_number=invitation.part_number or 1,
                title=f"Part {invitation.part_number or 1}",
                author_id=user.id,
                status=PartStatus.DRAFT,
                publish_at=invitation.planned_date,
            )
        )
    db.session.flush()
    emit("invitation_accepted", invitation=invitation, user=user)
    emit("user_registered", user=user)
    return user
