"""Comments, as a core plugin."""

from __future__ import annotations

from sqlalchemy import and_, or_

from forum import hookimpl
from forum.discussion.models import Comment
from forum.kernel.types import ContentType, Permission, RenderedField


@hookimpl
def register_blueprints(app):
    from forum.discussion.views import bp

    return [bp]


@hookimpl
def register_content_types():
    return [ContentType("comment", Comment, label="Comment", searchable=True, feedable=True, api_exposed=True,
                        quiet_until_public=True)]


@hookimpl
def register_rendered_fields():
    return [RenderedField(Comment, "body_source", "body_html", "comment", "body_format")]


@hookimpl
def register_permissions():
    return [
        Permission("comment.create", "Comment on threads", ("member", "expert", "moderator", "admin", "supervisor")),
        Permission("comment.edit", "Edit own comments", ("member", "expert", "moderator", "admin", "supervisor")),
    ]


def public_comment_clause(Comment):
    return and_(Comment.status == "approved", Comment.hidden_at.is_(None), Comment.deleted_at.is_(None))


@hookimpl
def visibility_filter(actor, content_type):
    if content_type.name != "comment":
        return None
    Comment = content_type.model
    if actor.has_role("moderator", "admin"):
        return None
    clause = public_comment_clause(Comment)
    if getattr(actor, "id", None) is not None:
        clause = or_(clause, and_(Comment.author_id == actor.id, Comment.deleted_at.is_(None)))
    return clause


@hookimpl
def app_created(app):
    from forum.discussion.fragments import comment_fields, comment_main

    app.jinja_env.globals.update(comment_main=comment_main, comment_fields=comment_fields)
