"""Register, log in and out, change password, profiles."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from forum.accounts import services
from forum.accounts.blueprint import bp, form_error, safe_next
from forum.accounts.forms import ChangePasswordForm, LoginForm, ProfileForm, RegisterForm
from forum.accounts.models import User
from forum.accounts.security_views import start_second_factor
from forum.extensions import db, limiter
from forum.kernel.hooks import hook
from forum.kernel.locales import timezone_names, valid_timezone
from forum.kernel.types import ValidationError


def _login_key() -> str:
    return "login:" + (request.form.get("username") or "").strip().lower()[:254]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20/hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("series.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.username.data, form.email.data, form.password.data)
            user.timezone = valid_timezone(form.timezone.data)
            user.locale = str(get_locale() or "") or None
        except ValidationError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            hook.user_registered(user=user)
            session.clear()
            login_user(user)
            flash(gettext("Welcome! Your account is ready."), "success")
            return redirect(url_for("series.home"))
    status = 422 if form.errors else 200
    return render_template("accounts/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"])
@limiter.limit("10/minute", methods=["POST"], key_func=_login_key)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None and user.has_two_factor:
            return start_second_factor(user, form.remember.data)
        if user is not None:
            session.clear()  # a fresh session at login: nothing from before carries over
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("series.home")))
        form.password.errors = ["Unknown username or wrong password."]
    status = 422 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:  # a copied cookie (or remember token) must not outlive logout
        services.end_sessions(db.session.get(User, current_user.id))
        db.session.commit()
    logout_user()
    session.clear()
    flash(gettext("You are logged out."), "success")
    return redirect(url_for("series.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        try:
            services.change_password(user, form.current.data, form.password.data)
        except ValidationError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            login_user(user)  # this session carries the new token; every other one ends
            flash(gettext("Password changed. Other sessions have been logged out."), "success")
            return redirect(url_for("accounts.profile", username=user.username))
    status = 422 if form.errors else 200
    return render_template("accounts/password.html", form=form), status


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    user = db.session.get(User, current_user.id)
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        user.display_name = (form.display_name.data or "").strip()
        user.bio = (form.bio.data or "").strip()
        user.timezone = valid_timezone(form.timezone.data)
        db.session.commit()
        flash(gettext("Profile saved."), "success")
        return redirect(url_for("accounts.profile", username=user.username))
    status = 422 if form.errors else 200
    return render_template(
        "accounts/edit_profile.html", form=form, timezone_names=timezone_names()
    ), status


@bp.route("/u/<username>")
def profile(username: str):
    if len(username) > 40:
        abort(404)
    user = db.session.execute(
        select(User).where(User.username_key == username.lower(), User.deleted_at.is_(None))
    ).scalar_one_or_none()
    if user is None:
        abort(404)
    return render_template("accounts/profile.html", user=user)
