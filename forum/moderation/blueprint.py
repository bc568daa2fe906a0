"""The moderation blueprint, shared by the queue, user and audit-log view modules."""

from __future__ import annotations

from flask import Blueprint, redirect, request

from forum.accounts.blueprint import safe_next

bp = Blueprint("moderation", __name__)


def back(default: str):
    """303 to the form's ``next`` (same-site paths only) or ``default``."""
    return redirect(safe_next(request.form.get("next"), default), code=303)
