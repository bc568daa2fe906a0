"""The pair-spaces blueprint (mounted at ``/p/pair_spaces``). Every private page is no-store."""

from __future__ import annotations

from flask import Blueprint, request

bp = Blueprint("pair_spaces", __name__, static_folder="../static", static_url_path="/static")

PUBLIC_ENDPOINTS = {"pair_spaces.directory", "pair_spaces.static"}


@bp.after_request
def _no_store(response):
    if request.endpoint not in PUBLIC_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


from forum_pair_spaces.views import (  # noqa: E402,F401  (routes register on import)
    admin,
    concerns,
    guidance,
    mentoring,
    pairing,
    programme,
    space,
)
