"""Password reset and two-factor authentication pages."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime, gettext
from flask_login import current_user

from forum.accounts import reset, services, twofactor
from forum.accounts.blueprint import bp, form_error, safe_next
from forum.accounts.forms import ResetPasswordForm, ResetRequestForm
from forum.accounts.models import User
from forum.extensions import db, limiter
from forum.kernel.security import is_safe_request
from forum.kernel.types import ValidationError
from forum.mail.outbox import queue_mail
from forum.mail.text import absolute_url, written_in

PENDING_KEY = "2fa_pending_user"
SETUP_KEY = "2fa_setup_secret"
ALLOWED_WHILE_ENROLLING = {"accounts.two_factor_setup", "accounts.logout", "static"}


def start_second_factor(user: User, remember: bool) -> object:
    """After a correct password for a user with 2FA: remember who, ask for the code."""
    session.clear()
    session[PENDING_KEY] = user.get_id()
    session["2fa_remember"] = bool(remember)
    target = safe_next(request.args.get("next"), "")
    return redirect(url_for("accounts.two_factor", next=target or None))


@bp.before_app_request
def _enforce_enrolment():
    """Staff who have not set up 2FA can do nothing else until they have."""
    if request.endpoint in ALLOWED_WHILE_ENROLLING or not twofactor.required_for(current_user):
        return None
    if current_user.has_two_factor:
        return None
    if request.path.startswith("/api/"):
        abort(403, description=gettext("Set up two-factor authentication first."))
    flash(gettext("Your role requires two-factor authentication. Please set it up now."), "error")
    return redirect(url_for("accounts.two_factor_setup"))


#: What a suspended member may still do: leave, and keep the account secure.
ALLOWED_WHILE_SUSPENDED = {
    "accounts.logout",
    "accounts.change_password",
    "accounts.two_factor_setup",
    "accounts.two_factor",
    "content.preview",
}


@bp.before_app_request
def _suspended_members_read_only():
    """A suspended member reads but never writes, whichever view the write reaches."""
    if is_safe_request() or request.endpoint in ALLOWED_WHILE_SUSPENDED:
        return None
    if getattr(current_user, "is_suspended", False):
        until = format_datetime(current_user.suspended_until, "long")  # (the reader's zone)
        abort(
            403,
            description=gettext(
                "Your account is suspended until %(until)s: you can read but not write. "
                "Reason: %(reason)s.",
                until=until,
                reason=current_user.suspension_reason or gettext("not given"),
            ),
        )
    return None


@bp.route("/account/reset", methods=["GET", "POST"])
@limiter.limit("5/minute", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None and user.deleted_at is None and "@" in form.email.data:
            # the configured server, never the request's Host header (a forged one would
            # send the reset link, token and all, to someone else's site)
            link = absolute_url(url_for("accounts.reset_password", token=reset.make_token(user)))
            with written_in(user.locale):
                queue_mail(
                    user.email,
                    gettext("Reset your password"),
                    gettext(
                        "Someone asked to reset the password of %(username)s.\n\n"
                        "If it was you, open this link within an hour:\n%(link)s\n\n"
                        "If not, ignore this message; nothing changes.",
                        username=user.username,
                        link=link,
                    ),
                )
            db.session.commit()
        flash(gettext("If that address has an account, a reset link is on its way."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form), 422 if form.errors else 200


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = reset.user_for_token(token) if len(token) < 500 else None
    if user is None:
        abort(
            404,
            description=gettext("This reset link is invalid, used or expired. Ask for a new one."),
        )
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data)
        except ValidationError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(gettext("Your password is changed. Please log in."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), 422 if form.errors else 200
