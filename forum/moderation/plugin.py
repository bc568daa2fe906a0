"""Moderation, as a core plugin: routes, permissions, settings, the queue badge and page links."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext
from markupsafe import Markup, escape

from forum import hookimpl
from forum.kernel.errors import error_response
from forum.kernel.locales import N_
from forum.kernel.types import NavItem, NotificationKind, Permission, QueueSection, Setting
from forum.moderation.blueprint import bp
from forum.moderation.errors import InvalidTransition
from forum.moderation.queue import waiting_count, waiting_total
from forum.routing import url_with_id
from forum.series.models import Characteristic
from forum.visibility.permissions import can


@hookimpl
def register_blueprints(app):
    from forum.moderation import audit_views, user_views, views  # noqa: F401  (routes join bp)

    return [bp]


@hookimpl
def register_permissions():
    return [
        Permission("moderation.review", "Work the review queue", ("moderator", "admin")),
        Permission(
            "moderation.act", "Hide, delete, lock, suspend, grant trust", ("moderator", "admin")
        ),
        Permission("audit.view", "Read the audit log", ("admin",)),
        Permission(
            "flag.create", "Flag content", ("member", "expert", "supervisor", "moderator", "admin")
        ),
        Permission(
            "content.see_all", "See pending, rejected and hidden content", ("moderator", "admin")
        ),
        Permission(
            "thread.comment_when_locked", "Comment on locked threads", ("moderator", "admin")
        ),
        Permission(
            "users.moderate_staff", "Suspend or change trust of moderators and admins", ("admin",)
        ),
        Permission(
            "trust.automatic",
            "Comments skip review without a track record",
            ("moderator", "admin", "expert"),
        ),
    ]


@hookimpl
def register_settings():
    return [
        Setting(
            "moderation.trust_threshold",
            int,
            3,
            "Approved comments before a member is trusted",
            minimum=0,
        ),
        Setting(
            "moderation.flag_hide_threshold", int, 3, "Trusted flags that hide content", minimum=1
        ),
    ]


@hookimpl
def register_notification_kinds():
    return [
        NotificationKind("flag_outcome", N_("What a moderator decided about content you flagged"))
    ]


@hookimpl
def check_permission(actor, action, resource):
    """A locked thread takes no new comments, except from moderators and admins."""

    if (
        action == "comment.create"
        and isinstance(resource, Characteristic)
        and resource.locked
        and not can("thread.comment_when_locked", actor=actor)
    ):
        return False
    return None


@hookimpl
def app_created(app):
    @app.errorhandler(InvalidTransition)
    def _conflict(error: InvalidTransition):
        return error_response(409, error.message)


@hookimpl
def slot_layout_nav(request, actor):
    """ "Review queue" with the number of waiting items, for moderators only (one COUNT query)."""
    if not getattr(actor, "is_authenticated", False) or not can("moderation.review", actor=actor):
        return None

    count = waiting_total(actor)
    return NavItem(
        gettext("Review queue"),
        url_for("moderation.queue"),
        order=50,
        badge=str(count) if count else None,
    )


@hookimpl
def review_queue_sections(actor):
    """The core's own queue (parts and comments), listed and counted like any plugin's."""
    if not can("moderation.review", actor=actor):
        return []
    return [
        QueueSection(gettext("Parts and comments"), url_for("moderation.queue"), waiting_count())
    ]


@hookimpl
def slot_admin_menu(actor):
    items = []
    if can("moderation.act", actor=actor):
        items.append(NavItem(gettext("Members and roles"), url_for("moderation.members"), order=10))
        items.append(
            NavItem(gettext("Threads: lock and unlock"), url_for("moderation.threads"), order=60)
        )
    if can("audit.view", actor=actor):
        items.append(NavItem(gettext("Audit log"), url_for("moderation.audit_log"), order=90))
    return items


def _links(kind: str, obj, actor) -> Markup | None:
    """ "Flag" for members who did not write it; "Moderate" for staff. No queries."""
    if not getattr(actor, "is_authenticated", False):
        return None
    links = []
    if obj.author_id != actor.id and can("flag.create", actor=actor):
        links.append(
            ("Flag", url_with_id("moderation.flag", "object_id", obj.id, kind=kind), "flag")
        )
    if can("moderation.review", actor=actor):
        links.append(
            (
                "Moderate",
                url_with_id("moderation.content", "object_id", obj.id, kind=kind),
                "moderate",
            )
        )
    if not links:
        return None
    html = " ".join(
        f'<a class="mod-link mod-{cls}" href="{escape(url)}" rel="nofollow">{label}</a>'
        for label, url, cls in links
    )
    return Markup(f'<span class="mod-links">{html}</span>')


@hookimpl
def slot_item_controls(kind, item, actor):
    return _links(kind, item, actor)


@hookimpl
def slot_profile_sections(user, actor):
    if can("moderation.act", actor=actor) and getattr(actor, "id", None) != user.id:
        url = url_for("moderation.user", username=user.username)
        return Markup('<p class="mod-links"><a href="{}">{}</a></p>').format(
            url, gettext("Moderate this member")
        )
    return None


@hookimpl
def extra_css_urls(page, actor):
    """The moderation stylesheet: on moderation pages, and for the suspension notice."""
    if page.startswith("moderation.") or getattr(actor, "is_suspended", False):
        return [url_for("static", filename="css/moderation.css")]
    return None
