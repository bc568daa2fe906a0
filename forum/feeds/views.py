"""Atom feeds: the site, each series, each characteristic (parts and comments), each expert."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.feeds import atom, services
from forum.feeds.pages import by_slug_or_404, site_feeds
from forum.series.links import this_page_url
from forum.series.models import Characteristic, ExpertProfile, Series

bp = Blueprint(
    "feeds", __name__, url_prefix="/feeds", static_folder="static", static_url_path="/static"
)

ATOM = "application/atom+xml; charset=utf-8"


def _respond(feed: atom.Feed) -> Response:
    return Response(atom.render(feed), content_type=ATOM)


@bp.route("/")
def index():
    """Every public feed of the site, the core's and the plugins' (``register_feeds``)."""
    return render_template("feeds/index.html", feeds=site_feeds(None, {}))


@bp.route("/site.atom")
def site():
    return _respond(services.site_feed(this_page_url()))


@bp.route("/series/<slug>.atom")
def series(slug: str):
    return _respond(services.series_feed(by_slug_or_404(Series, slug), this_page_url()))


@bp.route("/c/<slug>.atom")
def characteristic(slug: str):
    return _respond(
        services.characteristic_feed(by_slug_or_404(Characteristic, slug), this_page_url())
    )


@bp.route("/c/<slug>/comments.atom")
def comments(slug: str):
    return _respond(services.comments_feed(by_slug_or_404(Characteristic, slug), this_page_url()))


@bp.route("/experts/<username>.atom")
def expert(username: str):
    if len(username) > 40:
        abort(404)
    user = db.session.execute(
        select(User)
        .join(ExpertProfile, ExpertProfile.user_id == User.id)
        .where(User.username_key == username.lower(), User.deleted_at.is_(None))
    ).scalar_one_or_none()
    if user is None:
        abort(404)
    return _respond(services.expert_feed(user, this_page_url()))
