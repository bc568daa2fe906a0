"""The series, as a core plugin: its routes, content type and visibility rule."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext
from sqlalchemy import and_, or_

from forum import hookimpl
from forum.kernel.locales import N_
from forum.kernel.types import (
    ContentType,
    EditorPage,
    NavItem,
    PeriodicJob,
    Permission,
    RenderedField,
    SearchSource,
)
from forum.pagecache.member_pages import MEMBER_STATE_EXTENSION
from forum.series.models import (
    Characteristic,
    ExpertProfile,
    Part,
    PartRevision,
    public_part_clause,
)
from forum.series.publishing import announce_due, publish_due_command
from forum.visibility.permissions import can


@hookimpl
def register_blueprints(app):
    from forum.series import authoring, staff  # noqa: F401  (their routes join the blueprint)
    from forum.series.comment_views import bp as comments_bp  # (a hook body loads the module)
    from forum.series.views import bp  # (a hook body loads the feature's module when called)

    return [bp, comments_bp]


@hookimpl
def app_created(app):
    """The page cache keeps members' layered pages under the state statement's answer."""
    from forum.series.member_page import member_state  # (a hook body loads the feature's module)

    app.extensions[MEMBER_STATE_EXTENSION] = member_state()


@hookimpl
def register_cli_commands(cli):
    from forum.series.demo import seed_demo  # (a hook body loads the feature's module when called)

    cli.add_command(seed_demo)
    cli.add_command(publish_due_command)


def _publish_due_job() -> str:
    return f"{announce_due()} part(s) announced"


@hookimpl
def register_periodic_jobs():
    """Announcing due parts first, so the mail they queue goes out in the same run."""
    return [
        PeriodicJob(
            "publish-due", 60, _publish_due_job, "Announce parts whose time has come", order=10
        )
    ]


@hookimpl
def register_content_types():
    return [
        ContentType(
            "part", Part, label=N_("Expert part"), searchable=True, feedable=True, api_exposed=True
        )
    ]


@hookimpl
def register_rendered_fields():
    return [
        RenderedField(Part, "body_source", "body_html", "part", "body_format"),
        RenderedField(PartRevision, "body_source", "body_html", "part", "body_format"),
        RenderedField(Characteristic, "definition_md", "definition_html", "part"),
        RenderedField(ExpertProfile, "bio_md", "bio_html", "profile"),
    ]


@hookimpl
def register_permissions():
    return [
        Permission("part.create", "Write expert parts", ("expert",)),
        Permission("part.edit", "Edit own parts", ("expert",)),
        Permission("invitation.create", "Invite experts", ("moderator", "admin")),
        Permission("series.manage", "Manage series and characteristics", ("admin",)),
        Permission("part.read_history", "Read the history of any part", ("moderator", "admin")),
    ]


@hookimpl
def register_search_sources():
    """Parts reach the index like any plugin's content; scheduled ones are indexed early."""
    from forum.series.search import (  # (a hook body loads the feature's module when called)
        is_scheduled,
        part_document,
        part_documents,
    )

    return [
        SearchSource(
            "part",
            part_documents,
            documents_for=part_documents,
            document=part_document,
            indexed_early=is_scheduled,
        )
    ]


@hookimpl
def visibility_filter(actor, content_type):
    if content_type.name != "part":
        return None
    Part = content_type.model
    if can("content.see_all", actor=actor):
        return None
    clause = public_part_clause(Part)
    if getattr(actor, "id", None) is not None:
        clause = or_(clause, and_(Part.author_id == actor.id, Part.deleted_at.is_(None)))
    return clause


@hookimpl
def register_page_declarations():
    """The part editor: writing a new part and editing one."""
    return [
        EditorPage("part editor", "series.new_part"),
        EditorPage("part editor", "series.edit_part"),
    ]


@hookimpl
def slot_admin_menu(actor):
    """Invitations and the publishing calendar, each for those who may use it."""
    items = []
    if can("invitation.create", actor=actor):
        items.append(NavItem(gettext("Invitations"), url_for("series.new_invitation"), order=20))
    if can("moderation.review", actor=actor):
        items.append(NavItem(gettext("Publishing calendar"), url_for("series.calendar"), order=30))
    return items


@hookimpl
def slot_layout_nav(request, actor):
    """ "My parts" for experts: their drafts, submissions and the editor."""
    if not getattr(actor, "is_authenticated", False) or not can("part.create", actor=actor):
        return None
    return NavItem(gettext("My parts"), url_for("series.my_parts"), order=40)
