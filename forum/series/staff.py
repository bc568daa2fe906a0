"""Staff pages of the series: invitations (made by moderators and admins) and the calendar."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user, login_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from forum.accounts.models import User
from forum.db import utcnow
from forum.extensions import db
from forum.kernel.locales import local_to_utc, valid_timezone
from forum.kernel.types import ValidationError
from forum.series import invitations
from forum.series.forms import AcceptInvitationForm, InvitationForm, zone_help
from forum.series.invitation_mail import send_invitation
from forum.series.models import Characteristic, Invitation, Part
from forum.series.views import bp
from forum.visibility import current_actor
from forum.visibility.permissions import can, require


@bp.route("/invitations/new", methods=["GET", "POST"])
@require("invitation.create")
def new_invitation():
    form = InvitationForm(data=_slot_from_query())
    form.planned_date.description = zone_help(current_actor().timezone)
    rows = db.session.execute(
        select(Characteristic.id, Characteristic.number, Characteristic.title).order_by(
            Characteristic.number
        )
    ).all()
    form.characteristic_id.choices = [SelectChoice(0, gettext("No slot"))] + [
        SelectChoice(i, f"{n}) {t}") for i, n, t in rows
    ]
    if form.validate_on_submit():
        planned = (
            local_to_utc(form.planned_date.data, current_actor().timezone)
            if form.planned_date.data
            else None
        )
        try:
            invitation, token = invitations.create_invitation(
                current_actor(),
                form.email.data,
                form.role.data,
                form.expires_in_days.data,
                characteristic_id=form.characteristic_id.data or None,
                part_number=form.part_number.data,
                planned_date=planned,
            )
        except ValidationError as error:
            db.session.rollback()
            error.show_on(form)
        else:
            send_invitation(invitation, token)  # by e-mail, on the configured site's origin
            db.session.commit()
            link = url_for("series.accept_invitation", token=token, _external=True)
            # Shown once: only the hash is stored, so this page cannot be shown again.
            return render_template(
                "series/invitation_created.html", invitation=invitation, link=link
            )
    return render_template(
        "series/invitation_new.html", form=form, open_invitations=_open_invitations()
    ), 422 if form.errors else 200


def _open_invitations() -> list[Invitation]:
    """Invitations not yet used nor expired, soonest to expire first."""
    return list(
        db.session.execute(
            select(Invitation)
            .where(Invitation.used_at.is_(None), Invitation.expires_at > utcnow())
            .order_by(Invitation.expires_at)
            .limit(200)
        ).scalars()
    )


def _slot_from_query() -> dict[str, int]:
    """The calendar's "invite for this slot" link preselects the characteristic and part."""
    slot = {}
    for name in ("characteristic_id", "part_number"):
        raw = request.args.get(name, "")
        if raw.isdigit() and len(raw) < 7:
            slot[name] = int(raw)
    return slot


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = invitations.find_usable(token)
    if current_user.is_authenticated:
        abort(
            409,
            description=gettext(
                "You are logged in. Log out first to accept an invitation for a new account."
            ),
        )
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(
                invitation,
                username=form.username.data,
                password=form.password.data,
                display_name=form.display_name.data,
                bio=form.bio.data or "",
                affiliation=form.affiliation.data or "",
                country=form.country.data or "",
                website=form.website.data or "",
            )
        except ValidationError as error:
            db.session.rollback()
            error.show_on(form)
        else:
            # (the expert's zone, guessed by her browser, and the language she accepted in)
            user.timezone = valid_timezone(form.timezone.data)
            user.locale = str(get_locale() or "") or None
            db.session.commit()
            login_user(user)
            flash(gettext("Welcome! Your account and expert profile are ready."), "success")
            if can("part.create", actor=user):
                return redirect(url_for("series.my_parts"))
            return redirect(url_for("series.home"))
    return render_template(
        "series/invitation_accept.html", form=form, invitation=invitation
    ), 422 if form.errors else 200


@bp.route("/moderation/calendar")
@require("moderation.review")
def calendar():
    characteristics = (
        db.session.execute(
            select(Characteristic)
            .options(joinedload(Characteristic.series))
            .order_by(Characteristic.series_id, Characteristic.number)
        )
        .scalars()
        .all()
    )
    parts = (
        db.session.execute(
            select(Part)
            .where(Part.deleted_at.is_(None))
            .options(joinedload(Part.author).raiseload(User.roles))
            .order_by(Part.part_number, Part.id)
        )
        .scalars()
        .all()
    )
    open_invites = (
        db.session.execute(
            select(Invitation)
            .where(Invitation.used_at.is_(None), Invitation.characteristic_id.is_not(None))
            .order_by(Invitation.part_number)
        )
        .scalars()
        .all()
    )
    by_characteristic: dict[int, list] = {c.id: [] for c in characteristics}
    for part in parts:
        by_characteristic.setdefault(part.characteristic_id, []).append(part)
    invites: dict[int, list] = {}
    for inv in open_invites:
        invites.setdefault(inv.characteristic_id, []).append(inv)
    return render_template(
        "series/calendar.html",
        characteristics=characteristics,
        by_characteristic=by_characteristic,
        invites=invites,
        free_slot={
            c.id: _free_slot(by_characteristic[c.id], invites.get(c.id, []))
            for c in characteristics
        },
    )


def _free_slot(parts: list, invites: list) -> int:
    """The first part number after every planned part and open invitation: the empty slot."""
    taken = [p.part_number for p in parts] + [i.part_number or 0 for i in invites]
    return max(taken, default=0) + 1
