"""Shared view helpers: the member-only decorator, form failures, redirects."""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext

from forum.sdk import ValidationError, current_actor, db, require
from forum_pair_spaces.services import agreement
from forum_pair_spaces.services.common import load_pair


def space_view(open_required: bool = True):
    """Logged-in member of the pair (else 404); the space opens only under an agreement in force."""

    def decorator(view):
        @require("pair_spaces.join")
        @wraps(view)
        def wrapped(pair_id, *args, **kwargs):
            pair = load_pair(pair_id)
            if open_required and agreement.in_force(pair) is None:
                flash(
                    gettext("Both of you must accept the confidentiality agreement first."), "info"
                )
                return redirect(url_for("pair_spaces.agreement", pair_id=pair.id))
            return view(pair, *args, **kwargs)

        return wrapped

    return decorator


def invalid(template: str, **context):
    """Re-render a form page with its errors (422), keeping what was typed."""
    return render_template(template, **context), 422


def back_to(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), code=303)


def lookup(loaded, pair):
    """An object of this pair, or 404."""
    if loaded is None or getattr(loaded, "pair_id", None) != pair.id:
        abort(404)
    return loaded


def actor():
    return current_actor()


def refused(form, error: ValidationError, template: str, **context):
    """A service refused the input: show why beside the field it names, keep what was typed."""
    db.session.rollback()
    error.show_on(form)
    return invalid(template, form=form, **context)
