"""Admin: the mentoring programme in numbers, on a page and as CSV (no content, no names)."""

from __future__ import annotations

from flask import Response, render_template

from forum.sdk import require
from forum_pair_spaces.services import programme as service
from forum_pair_spaces.views import bp


@bp.route("/admin/programme")
@require("pair_spaces.view_programme")
def programme():
    return render_template(
        "pair_spaces/programme.html", counts=service.counts(), labels=service.LABELS
    )


@bp.route("/admin/programme.csv")
@require("pair_spaces.view_programme")
def programme_csv():
    return Response(
        service.counts_csv(service.counts()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="mentoring-programme.csv"'},
    )
