"""A member's moderation page (suspension, trust) and members' flags on parts and comments."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import abort, flash, render_template, request, url_for
from sqlalchemy import select

from forum.accounts import trust
from forum.accounts.models import User
from forum.extensions import db
from forum.kernel.types import ValidationError
from forum.limits import flagging_limit
from forum.moderation import services
from forum.moderation.audit_views import entries_for
from forum.moderation.blueprint import back, bp
from forum.moderation.flags import create_flag
from forum.moderation.forms import FlagForm, ReasonForm, SuspendForm, TrustForm
from forum.moderation.targets import load
from forum.visibility import current_actor
from forum.visibility.permissions import require

TRUST_VALUES = {"grant": True, "withdraw": False, "automatic": None}


def _user_or_404(username: str) -> User:
    if len(username) > 40:
        abort(404)
    user = db.session.execute(
        select(User).where(User.username_key == username.lower(), User.deleted_at.is_(None))
    ).scalar_one_or_none()
    return user or abort(404)


def _invalid(form) -> ValidationError:
    name, errors = next(iter(form.errors.items()))
    label = getattr(getattr(form, name, None), "label", None)
    return ValidationError(f"{label.text if label else name}: {errors[0]}", field=name)


@bp.get("/moderation/users/<username>")
@require("moderation.act")
def user(username: str):
    member = _user_or_404(username)
    return render_template(
        "moderation/user.html",
        member=member,
        trusted=trust.is_trusted(member),
        threshold=trust.threshold(),
        history=entries_for("user", member.id),
        suspend_form=SuspendForm(),
        lift_form=ReasonForm(),
        trust_form=TrustForm(
            trust={True: "grant", False: "withdraw"}.get(member.trusted_override, "automatic")
        ),
    )


def _user_action(username: str, form_class, act, message: str):
    """Validate ``form_class``, run ``act(member, form, actor)``, commit, flash and go back."""
    member = _user_or_404(username)
    form = form_class()
    if not form.validate_on_submit():
        raise _invalid(form)
    act(member, form, current_actor())
    db.session.commit()
    flash(message.format(name=member.username), "success")
    return back(url_for("moderation.user", username=member.username))


@bp.post("/moderation/users/<username>/suspend")
@require("moderation.act")
def suspend(username: str):
    def act(member, form, actor):
        until = datetime.combine(form.until.data, time.min, tzinfo=UTC)
        services.suspend(member, actor, until, form.reason.data)

    return _user_action(username, SuspendForm, act, "{name} is suspended.")


@bp.post("/moderation/users/<username>/unsuspend")
@require("moderation.act")
def unsuspend(username: str):
    return _user_action(
        username,
        ReasonForm,
        lambda member, form, actor: services.lift_suspension(member, actor, form.reason.data or ""),
        "{name}'s suspension is lifted.",
    )


@bp.post("/moderation/users/<username>/trust")
@require("moderation.act")
def set_trust(username: str):
    return _user_action(
        username,
        TrustForm,
        lambda member, form, actor: services.set_trust(
            member, actor, TRUST_VALUES[form.trust.data], form.reason.data or ""
        ),
        "Trust for {name} saved.",
    )


# --- flags --------------------------------------------------------------------------------------


@bp.route("/flag/<kind>/<id:object_id>", methods=["GET", "POST"])
@flagging_limit
@require("flag.create")
def flag(kind: str, object_id: int):
    """Members flag a part or comment they can see, once each; moderators find it in the queue."""
    target = load(kind, object_id)
    form = FlagForm()
    if form.validate_on_submit():
        create_flag(target, current_actor(), form.reason.data, form.note.data or "")
        db.session.commit()
        flash(
            "Thank you. A moderator will look at it, and you will hear what they decided.",
            "success",
        )
        return back(url_for("series.home"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "moderation/flag.html",
        form=form,
        kind=kind,
        target=target,
        next=request.values.get("next", ""),
    ), status
