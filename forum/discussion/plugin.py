"""Comments, as a core plugin."""

from __future__ import annotations

from sqlalchemy import and_, or_

from forum import hookimpl
from forum.discussion.models import Comment, public_comment_clause
from forum.kernel.locales import N_
from forum.kernel.types import ContentType, EditorPage, Permission, RenderedField, SearchSource
from forum.visibility.permissions import can


@hookimpl
def register_content_types():
    return [
        ContentType(
            "comment",
            Comment,
            label=N_("Comment"),
            searchable=True,
            feedable=True,
            api_exposed=True,
            quiet_until_public=True,
        )
    ]


@hookimpl
def register_rendered_fields():
    return [RenderedField(Comment, "body_source", "body_html", "comment", "body_format")]


@hookimpl
def register_permissions():
    return [
        Permission(
            "comment.create",
            "Comment on threads",
            ("member", "expert", "moderator", "admin", "supervisor"),
        ),
        Permission(
            "comment.edit",
            "Edit own comments",
            ("member", "expert", "moderator", "admin", "supervisor"),
        ),
    ]


@hookimpl
def register_search_sources():
    """Comments reach the index like any plugin's content."""
    from forum.discussion.search import (  # (a hook body loads the feature's module when called)
        comment_document,
        comment_documents,
    )

    return [
        SearchSource(
            "comment", comment_documents, documents_for=comment_documents, document=comment_document
        )
    ]


@hookimpl
def visibility_filter(actor, content_type):
    if content_type.name != "comment":
        return None
    Comment = content_type.model
    if can("content.see_all", actor=actor):
        return None
    clause = public_comment_clause(Comment)
    if getattr(actor, "id", None) is not None:
        clause = or_(clause, and_(Comment.author_id == actor.id, Comment.deleted_at.is_(None)))
    return clause


@hookimpl
def app_created(app):
    from forum.discussion.fragments import (  # (a hook body loads the feature's module when called)
        comment_fields,
        comment_main,
    )
    from forum.discussion.services import (  # (as above)
        edit_minutes_left,
        edit_window_minutes,
    )

    app.jinja_env.globals.update(
        comment_main=comment_main,
        comment_fields=comment_fields,
        edit_minutes_left=edit_minutes_left,
        edit_window_minutes=edit_window_minutes,
    )


@hookimpl
def register_page_declarations():
    """The comment editor: the thread page's form, the new-comment page and the edit page."""
    return [
        EditorPage("comment editor", endpoint)
        for endpoint in ("series.thread", "discussion.new", "discussion.create", "discussion.edit")
    ]
