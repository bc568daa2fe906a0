"""Two-factor pages: the code (or a recovery code) at login, and setting it up with a QR code."""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user

from forum import crypto
from forum.accounts import qr, recovery, services, twofactor
from forum.accounts.blueprint import bp, safe_next
from forum.accounts.forms import TwoFactorForm, TwoFactorLoginForm
from forum.accounts.models import User
from forum.accounts.security_views import PENDING_KEY, SETUP_KEY
from forum.extensions import db, limiter

#: the key ring that seals second-factor secrets (in the database and in the set-up session)
RING = "account"
SETUP_PURPOSE = "session.two_factor_setup"


def _second_factor_ok(user: User, code: str) -> bool:
    """A TOTP code not used before, else one of the member's unused recovery codes."""
    return twofactor.use_code(user, code) or recovery.use(user, code)


@bp.route("/login/2fa", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def two_factor():
    user = services.load_user(session.get(PENDING_KEY, ""))
    if user is None:
        return redirect(url_for("accounts.login"))
    form = TwoFactorLoginForm()
    if form.validate_on_submit():
        if _second_factor_ok(user, form.code.data):
            db.session.commit()
            remember = session.get("2fa_remember", False)
            session.clear()
            login_user(user, remember=remember)
            return redirect(safe_next(request.args.get("next"), url_for("series.home")))
        db.session.rollback()
        form.code.errors = [
            "That code is not right, or it was used already. Codes change every 30 seconds; "
            "each recovery code works once."
        ]
    return render_template("accounts/two_factor.html", form=form), 422 if form.errors else 200


def _setup_secret() -> str:
    """The secret being set up, kept sealed in the (signed, not secret) session cookie."""
    sealed = session.get(SETUP_KEY)
    if sealed:
        try:
            return crypto.decrypt(RING, sealed, SETUP_PURPOSE)
        except crypto.DecryptionError:
            pass  # an old key or a cookie from elsewhere: start again with a new secret
    secret = twofactor.new_secret()
    session[SETUP_KEY] = crypto.encrypt(RING, secret, SETUP_PURPOSE)
    return secret


def _turn_on(user: User, secret: str) -> list[str]:
    """Store the secret (sealed by the column type) and the step of the code just typed, so it
    cannot be replayed; return the recovery codes to show this once."""
    user.totp_secret = secret
    twofactor.use_code(user, request.form.get("code", ""))
    codes = recovery.issue(user)
    session.pop(SETUP_KEY, None)
    db.session.commit()
    return codes


@bp.route("/account/2fa", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    user = db.session.get(User, current_user.id)
    form = TwoFactorForm()
    if user.has_two_factor:
        return _enabled_page(user, form)
    secret = _setup_secret()
    if form.validate_on_submit():
        if twofactor.verify(secret, form.code.data):
            return render_template("accounts/recovery_codes.html", codes=_turn_on(user, secret))
        form.code.errors = ["That code is not right. Check the key and try again."]
    uri = twofactor.provisioning_uri(user, secret)
    return render_template(
        "accounts/two_factor_setup.html",
        enabled=False,
        form=form,
        secret=secret,
        uri=uri,
        qr_svg=qr.svg(uri),
    ), 422 if form.errors else 200


def _enabled_page(user: User, form: TwoFactorForm, status: int = 200):
    return render_template(
        "accounts/two_factor_setup.html",
        enabled=True,
        form=form,
        remaining=recovery.remaining(user),
    ), status


@bp.route("/account/2fa/recovery-codes", methods=["POST"])
@login_required
@limiter.limit("10/minute")
def new_recovery_codes():
    """Ten new codes (the old ones stop working), for someone who proves the second factor now."""
    user = db.session.get(User, current_user.id)
    form = TwoFactorForm()
    if not user.has_two_factor:
        return redirect(url_for("accounts.two_factor_setup"))
    if form.validate_on_submit() and twofactor.use_code(user, form.code.data):
        codes = recovery.issue(user)
        db.session.commit()
        return render_template("accounts/recovery_codes.html", codes=codes)
    db.session.rollback()
    if not form.code.errors:
        form.code.errors = ["That code is not right, or it was used already."]
    return _enabled_page(user, form, 422)
