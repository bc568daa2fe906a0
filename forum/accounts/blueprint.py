"""The accounts blueprint and the helpers its view modules share."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash

from forum.kernel.types import ValidationError

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site relative paths are followed; anything else goes to ``default``."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def form_error(form, error: ValidationError) -> None:
    """Show a service's refusal beside its field, or as a flash message when it names none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        flash(error.message, "error")
