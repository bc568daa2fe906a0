"""The moderation blueprint, shared by the queue, user and audit-log view modules."""

from __future__ import annotations

from flask import Blueprint, redirect, request

from forum.accounts.views import safe_next

bp = Blueprint("moderation", __name__)


def back(default: str):
    """303 to the form's ``next`` (same-site paths only) or ``default``."""
    return redirect(safe_next(request.form.get("next"), default), code=303)


def blueprint() -> Blueprint:
    """The blueprint with every moderation route attached."""
    from forum.moderation import audit_views, user_views, views  # noqa: F401  (routes)

    return bp
