"""Feeds and sharing, as a core plugin: Atom routes, feed autodiscovery, cards and share links."""

from __future__ import annotations

from urllib.parse import quote

from flask import render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup

from forum import hookimpl
from forum.extensions import db
from forum.feeds.pages import card_for, feeds_for, site_feeds
from forum.feeds.views import bp
from forum.kernel.types import NavItem
from forum.pagecache.versioned import cached
from forum.series import links
from forum.series.models import Characteristic


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def slot_layout_head(request, actor):
    """Atom autodiscovery links for the page, plus Open Graph / Twitter tags on public pages."""

    args = request.view_args or {}
    return Markup(
        render_template(
            "feeds/head.html",
            feeds=site_feeds(request.endpoint, args),
            card=card_for(request.endpoint, args),
        )
    )


@hookimpl
def register_feeds(endpoint, view_args):
    """The core's feeds, announced like any plugin's."""
    return feeds_for(endpoint, view_args)


@hookimpl
def extra_js_urls(page, actor):
    if page in ("series.thread", "series.part"):
        return [url_for("feeds.static", filename="share.js")]
    return []


def _is_public(part) -> bool:
    is_live = getattr(part, "is_live", None)
    if callable(is_live) and not is_live():
        return False
    return part.status == "approved" and part.hidden_at is None and part.deleted_at is None


@hookimpl
def slot_part_after_body(part, actor):
    """Share links (e-mail, copy) under a published part: the same for every reader, so rendered
    once per content version (and host) in each worker."""

    if not _is_public(part):
        return None
    return cached("forum.feeds.share", (part.id, request.host_url), lambda: _share_links(part), 500)


def _share_links(part) -> Markup:
    # The identity map already holds the page's characteristic: no query per part (thread N+1).
    ch = db.session.get(Characteristic, part.characteristic_id)
    return Markup(
        render_template(
            "feeds/share.html",
            title=part.title,
            url=links.part_url(part, ch, external=True),
            status_id=f"share-status-part-{part.id}",
        )
    )


@hookimpl
def slot_thread_tabs(characteristic, actor):
    """The characteristic's feeds and an e-mail share link beside its thread."""

    page = links.characteristic_url(characteristic, external=True)
    subject = quote(f"KMC {characteristic.number}) {characteristic.title}")
    return [
        NavItem(
            gettext("Atom feed"),
            url_for("feeds.characteristic", slug=characteristic.slug),
            order=80,
        ),
        NavItem(
            gettext("Share by e-mail"),
            f"mailto:?subject={subject}&body={quote(page, safe='')}",
            order=90,
        ),
    ]
