"""Members: the staff list with search, a member's page (suspension, trust, roles), and
members' flags on parts and comments."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forum.accounts import trust
from forum.accounts.models import User
from forum.extensions import db
from forum.kernel.types import ValidationError
from forum.limits import flagging_limit
from forum.moderation import services
from forum.moderation.audit_views import entries_for
from forum.moderation.blueprint import back, bp
from forum.moderation.flags import create_flag
from forum.moderation.forms import (
    FlagForm,
    MemberSearchForm,
    ReasonForm,
    RoleForm,
    SuspendForm,
    TrustForm,
)
from forum.moderation.roles import change_role
from forum.moderation.targets import load
from forum.visibility import current_actor
from forum.visibility.permissions import require

TRUST_VALUES = {"grant": True, "withdraw": False, "automatic": None}


def user_or_404(username: str) -> User:
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
    return member_page(user_or_404(username))


def member_page(member: User, role_form: RoleForm | None = None, status: int = 200):
    """A member's staff page; ``role_form`` is the bound role form after a refused change."""
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
        role_form=role_form or RoleForm(formdata=None, prefix=ROLE_PREFIX),
    ), status


def _user_action(username: str, form_class, act, message: str):
    """Validate ``form_class``, run ``act(member, form, actor)``, commit, flash and go back."""
    member = user_or_404(username)
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


# --- members and roles ------------------------------------------------------------------------

PAGE_SIZE = 50
ROLE_PREFIX = "roles"  # the member page has other forms with a "reason" field


def _matching(query: str) -> list[User]:
    """Up to ``PAGE_SIZE`` members whose name, username or e-mail contains ``query``."""
    stmt = select(User).where(User.deleted_at.is_(None)).options(selectinload(User.roles))
    if query:
        like = f"%{query.lower().replace('%', '').replace('_', '')}%"
        stmt = stmt.where(
            or_(
                User.username_key.like(like),
                func.lower(User.display_name).like(like),
                func.lower(User.email).like(like),
            )
        )
    return list(db.session.execute(stmt.order_by(User.username_key).limit(PAGE_SIZE)).scalars())


@bp.get("/moderation/members")
@require("moderation.act")
def members():
    form = MemberSearchForm(request.args)
    valid = form.validate()
    query = (form.q.data or "").strip() if valid else ""
    return render_template(
        "moderation/members.html", form=form, members=_matching(query), limit=PAGE_SIZE
    ), 200 if valid else 422


@bp.post("/moderation/users/<username>/roles")
@require("users.manage_roles")
def change_roles(username: str):
    """Grant or revoke a role; errors show beside the fields, the typed reason kept (422)."""
    member = user_or_404(username)
    form = RoleForm(prefix=ROLE_PREFIX)
    if form.validate_on_submit():
        grant = form.change.data == "grant"
        try:
            changed = change_role(member, current_actor(), form.role.data, grant, form.reason.data)
        except ValidationError as error:
            db.session.rollback()
            error.show_on(form)
        else:
            db.session.commit()
            done = "now has" if grant else "no longer has"
            flash(
                f"{member.username} {done} the {form.role.data} role."
                if changed
                else "Nothing changed: the roles were already so.",
                "success",
            )
            return redirect(url_for("moderation.user", username=member.username), code=303)
    return member_page(member, role_form=form, status=422)


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
