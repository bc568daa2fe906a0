"""Members: the staff list with search, a member's page (suspension, trust, roles), and
members' flags on parts and comments."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forum.accounts import trust
from forum.accounts.models import User
from forum.content.forms import submit_form
from forum.extensions import db
from forum.limits import flagging_limit
from forum.moderation import services, two_factor_reset
from forum.moderation.audit_views import entries_for
from forum.moderation.blueprint import back, bp
from forum.moderation.flags import create_flag, flag_of
from forum.moderation.forms import (
    FlagForm,
    MemberSearchForm,
    ReasonForm,
    RoleForm,
    SuspendForm,
    TrustForm,
    TwoFactorResetForm,
)
from forum.moderation.roles import change_role
from forum.moderation.targets import load
from forum.series.models import Characteristic
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


FORMS = {
    "suspend_form": SuspendForm,
    "lift_form": ReasonForm,
    "trust_form": TrustForm,
    "two_factor_form": TwoFactorResetForm,
}


def _user_page(member: User, status: int = 200, **submitted):
    """The member's moderation page; a form that failed comes back with its errors and input."""
    forms = {name: submitted.get(name) or form_class() for name, form_class in FORMS.items()}
    if "trust_form" not in submitted:
        choice = {True: "grant", False: "withdraw"}.get(member.trusted_override, "automatic")
        forms["trust_form"] = TrustForm(formdata=None, trust=choice)
    forms["role_form"] = submitted.get("role_form") or RoleForm(formdata=None, prefix=ROLE_PREFIX)
    return render_template(
        "moderation/user.html",
        member=member,
        trusted=trust.is_trusted(member),
        threshold=trust.threshold(),
        history=entries_for("user", member.id),
        **forms,
    ), status


@bp.get("/moderation/users/<username>")
@require("moderation.act")
def user(username: str):
    return _user_page(user_or_404(username))


def _user_action(username: str, form_name: str, act, message: str):
    """Validate the form, run ``act(member, form, actor)``, commit, flash and go back; invalid
    input shows the page again (422) with the error beside its field and what was typed."""
    member = user_or_404(username)
    form = FORMS[form_name]()
    done, _result = submit_form(form, lambda: act(member, form, current_actor()), "reason")
    if not done:
        return _user_page(member, 422, **{form_name: form})
    db.session.commit()
    flash(message.format(name=member.username), "success")
    return back(url_for("moderation.user", username=member.username))


@bp.post("/moderation/users/<username>/suspend")
@require("moderation.act")
def suspend(username: str):
    def act(member, form, actor):
        until = datetime.combine(form.until.data, time.min, tzinfo=UTC)
        services.suspend(member, actor, until, form.reason.data)

    return _user_action(username, "suspend_form", act, "{name} is suspended.")


@bp.post("/moderation/users/<username>/unsuspend")
@require("moderation.act")
def unsuspend(username: str):
    return _user_action(
        username,
        "lift_form",
        lambda member, form, actor: services.lift_suspension(member, actor, form.reason.data or ""),
        "{name}'s suspension is lifted.",
    )


@bp.post("/moderation/users/<username>/trust")
@require("moderation.act")
def set_trust(username: str):
    return _user_action(
        username,
        "trust_form",
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
    grant = form.change.data == "grant"
    done, changed = submit_form(
        form,
        lambda: change_role(member, current_actor(), form.role.data, grant, form.reason.data),
    )
    if not done:
        return _user_page(member, 422, role_form=form)
    db.session.commit()
    state = "now has" if grant else "no longer has"
    flash(
        f"{member.username} {state} the {form.role.data} role."
        if changed
        else "Nothing changed: the roles were already so.",
        "success",
    )
    return redirect(url_for("moderation.user", username=member.username), code=303)


@bp.post("/moderation/users/<username>/two-factor-reset")
@require("account.reset_two_factor")
def reset_two_factor(username: str):
    return _user_action(
        username,
        "two_factor_form",
        lambda member, form, actor: two_factor_reset.reset_two_factor(
            member, actor, form.reason.data
        ),
        "{name}'s two-factor authentication is off; they have been told by e-mail.",
    )


# --- flags --------------------------------------------------------------------------------------


def _where_it_is(kind: str, target) -> str:
    """Back to the flagged comment in its thread (its permalink finds the page), or the part."""
    if kind == "comment":
        return url_for("discussion.permalink", comment_id=target.id)
    characteristic = db.session.get(Characteristic, target.characteristic_id)
    return url_for("series.part", slug=characteristic.slug, number=target.part_number)


@bp.route("/flag/<kind>/<id:object_id>", methods=["GET", "POST"])
@flagging_limit
@require("flag.create")
def flag(kind: str, object_id: int):
    """Members flag a part or comment they can see, once each; moderators find it in the queue."""
    target = load(kind, object_id)
    if target.author_id is not None and target.author_id == current_actor().id:
        abort(403, description=gettext("You cannot flag your own writing."))
    earlier = flag_of(target, current_actor())
    if earlier is not None and request.method == "POST":  # a second click, a stale tab
        flash(_already_flagged(earlier), "info")
        return back(_where_it_is(kind, target))
    form = FlagForm()
    if earlier is None and form.validate_on_submit():
        create_flag(target, current_actor(), form.reason.data, form.note.data or "")
        db.session.commit()
        flash(
            gettext("Thank you. A moderator will look at it, and you will hear what they decided."),
            "success",
        )
        return back(_where_it_is(kind, target))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "moderation/flag.html",
        form=form,
        kind=kind,
        target=target,
        earlier=earlier and _already_flagged(earlier),
        back_to=_where_it_is(kind, target),
        next=request.values.get("next", ""),
    ), status


def _already_flagged(flag) -> str:
    if flag.resolved_at is None:
        return gettext(
            "You have already flagged this. A moderator will look at it, and you will hear what they decided."
        )
    return gettext("You flagged this before, and a moderator has decided on it.")
