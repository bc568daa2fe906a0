"""Reader pages of the series."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.series.models import Characteristic, Series

bp = Blueprint("series", __name__)


@bp.route("/")
def home():
    series = db.session.execute(
        select(Series).options(selectinload(Series.characteristics)).order_by(Series.id)
    ).scalars().all()
    return render_template("series/home.html", series_list=series)


__all__ = ["bp", "Characteristic"]
