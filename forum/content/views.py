"""``POST /preview``: the editor's live preview, rendered by the same pipeline as a save.

The script in ``static/js/forum.js`` posts the textarea's text here (with the form's CSRF token)
and shows the sanitised HTML it gets back. Nothing is stored.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext

from forum.content.formats import render_body
from forum.extensions import account_key, limiter
from forum.kernel.types import ValidationError

bp = Blueprint("content", __name__)

#: What a preview may be of; each kind maps to a sanitiser context through ``render_body``.
PREVIEW_KINDS = ("part", "comment")


@bp.post("/preview")
@limiter.limit("60/minute", key_func=account_key)
@limiter.limit("120/minute")
def preview():
    """Render ``body`` (form field) as ``format`` for ``kind``; answer ``{"html": ...}``."""

    body = request.form.get("body")
    if body is None:
        raise ValidationError(
            gettext("Nothing to preview: the 'body' field is missing."), field="body"
        )
    kind = request.form.get("kind") or "comment"
    if kind not in PREVIEW_KINDS:
        raise ValidationError(gettext("Unknown kind %(kind)r.", kind=kind), field="kind")
    fmt = request.form.get("format") or "markdown"
    html = render_body(fmt, body, kind)
    response = jsonify({"html": html})
    response.headers["Cache-Control"] = "no-store"
    return response
