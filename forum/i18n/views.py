"""The guest's language switcher: a plain form in the footer that works without JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request
from flask_login import current_user

from forum.accounts.views import safe_next
from forum.extensions import csrf, db
from forum.kernel.locales import COOKIE, supported

bp = Blueprint("i18n", __name__)
ONE_YEAR = 365 * 24 * 3600


@bp.post("/language")
@csrf.exempt
def choose_language():
    """Remember the language in a cookie (a member's choice is also saved on the account) and go
    back to the page the form was on.

    The footer form sits on cached anonymous pages, which cannot carry a session's CSRF token, so
    this form is protected by its origin instead: it must come with an ``Origin`` (or
    ``Referer``) of this site (``forum.kernel.security`` refuses a foreign one before any view)."""
    if not (request.headers.get("Origin") or request.headers.get("Referer")):
        abort(400, description="This form must be sent from the forum's own pages.")
    locale = supported(request.form.get("locale"))
    if locale is None:
        abort(400, description="Unknown language.")
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    response = redirect(safe_next(request.form.get("next")), 303)
    response.set_cookie(
        COOKIE,
        locale,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=bool(request.is_secure),
        httponly=True,
    )
    return response
