"""Search, as a core plugin: the page, ``flask forum reindex``, and index upkeep on every event."""

from __future__ import annotations

import click
from flask import url_for
from flask.cli import with_appcontext
from flask_babel import gettext
from sqlalchemy import select

from forum import hookimpl
from forum.extensions import db
from forum.kernel.types import NavItem
from forum.search.services import index_object, install, refresh_after_commit, reindex
from forum.search.views import bp
from forum.visibility import bypass, registry

#: Event hooks here only write rows of this database: they run in the emitting transaction.
forum_events_in_transaction = True


@hookimpl
def register_blueprints(app):
    return [bp]


@click.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the search index from the database (public content only)."""

    counts = reindex()
    db.session.commit()
    for name, count in sorted(counts.items()):
        click.echo(f"{name}: {count} indexed")


@hookimpl
def register_cli_commands(cli):
    cli.add_command(reindex_command)


@hookimpl
def slot_layout_nav(request, actor):
    return [NavItem(gettext("Search"), url_for("search.search_page"), order=50)]


def _refresh(content) -> None:
    """Re-check ``content`` against the policy and update its entry (in the emitting
    transaction: ``forum_events_in_transaction``, ``forum.kernel.events``)."""

    if content is None or getattr(content, "id", None) is None:
        return
    index_object(content)


# (no content_created: new content is in no index yet, and content that is public at once fires
# content_published right after it)


@hookimpl
def content_approved(content, actor):
    _refresh(content)


@hookimpl
def content_published(content):
    _refresh(content)


@hookimpl
def content_rejected(content, actor, reason):
    _refresh(content)


@hookimpl
def content_hidden(content, actor, reason):
    _refresh(content)


@hookimpl
def content_deleted(content, actor):
    _refresh(content)


@hookimpl
def moderation_action(action, actor, target_type, target_id, reason):
    """Unhide, restore, edit approvals: whatever a moderator did, re-check the target."""

    ct = registry().get(target_type)
    if ct is None or ct.owner != "core" or target_id is None:
        return
    obj = db.session.execute(
        select(ct.model)
        .where(ct.model.id == target_id)
        .execution_options(**bypass("core", "search: re-check a moderated item"))
    ).scalar_one_or_none()
    if obj is not None:
        _refresh(obj)


@hookimpl
def app_created(app):
    install()


@hookimpl
def before_content_saved(content, actor, action):
    """An edit of live content fires no event: refresh its entry once the edit commits."""

    if action == "edited" and getattr(content, "id", None) is not None:
        refresh_after_commit(content)
