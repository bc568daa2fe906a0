"""Notifications, as a core plugin: the inbox, watches, e-mail, and the events that feed them."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext

from forum import hookimpl
from forum.discussion.models import Comment
from forum.kernel.locales import N_
from forum.kernel.types import NavItem, NotificationKind, PeriodicJob, Permission
from forum.notifications import triggers
from forum.notifications.mail import send_mail_command, send_mail_job
from forum.notifications.outbox import failed_count
from forum.notifications.reading import badge
from forum.notifications.services import reader_state, reader_state_key_columns
from forum.notifications.triggers import decided, guest_rejected
from forum.notifications.views import bp
from forum.pagecache.layer import member_state_columns
from forum.series.models import Part
from forum.series.queries import loaded_characteristic
from forum.visibility.permissions import can

MEMBER_ROLES = ("member", "expert", "supervisor", "moderator", "admin")

#: Event hooks here only write rows of this database: they run in the emitting transaction.
forum_events_in_transaction = True


@hookimpl
def register_blueprints(app):
    # (these modules' routes join the blueprint when imported)
    from forum.notifications import mail_views, names_views, reading_views  # noqa: F401

    return [bp]


@hookimpl
def register_cli_commands(cli):
    cli.add_command(send_mail_command)


@hookimpl
def register_periodic_jobs():
    from forum.notifications.digest import send_digests  # the job modules load only when jobs run

    return [
        PeriodicJob("mail-digest", 3600, send_digests, "Queue the daily digest e-mails", order=85),
        PeriodicJob("send-mail", 60, send_mail_job, "Send the e-mail outbox", order=90),
    ]


@hookimpl
def register_permissions():
    return [
        Permission("characteristic.watch", "Watch a characteristic for new parts", MEMBER_ROLES),
        Permission("mail.manage", "See failed e-mail, retry or drop it", ("admin",)),
    ]


@hookimpl
def slot_admin_menu(actor):
    if not can("mail.manage", actor=actor):
        return []
    count = failed_count()
    return [
        NavItem(
            gettext("Failed e-mail"),
            url_for("notifications.failed_mail"),
            order=80,
            badge=str(count) if count else None,
        )
    ]


@hookimpl
def register_notification_kinds():
    return [
        NotificationKind("reply", N_("Replies to your comments")),
        NotificationKind("new_part", N_("New parts in threads you watch"), email_default="digest"),
        NotificationKind(
            "watched_comment", N_("New comments in threads you watch"), email_default="digest"
        ),
        NotificationKind("moderation", N_("Moderators' decisions on your content")),
        NotificationKind("mention", N_("Mentions of your @username")),
        NotificationKind("role_changed", N_("Roles an admin granted or revoked")),
    ]


@member_state_columns
def _reader_state_key(user_id, characteristic_id):
    """A member's kept page shows the unread counts and the watch state: what fixes them keys it."""
    return reader_state_key_columns(user_id, characteristic_id)


def _page_characteristic_id(request) -> int | None:
    """The characteristic the page's view loaded (a thread or part page), so the menu's count and
    the thread's Watch tab share one statement."""
    slug = (request.view_args or {}).get("slug")
    characteristic = loaded_characteristic(slug) if isinstance(slug, str) else None
    return characteristic.id if characteristic is not None else None


@hookimpl
def slot_layout_nav(request, actor):
    """'Notifications' with the unread count, for members."""

    if not getattr(actor, "is_authenticated", False) or getattr(actor, "id", None) is None:
        return None
    count = reader_state(actor.id, _page_characteristic_id(request))[0]
    return [
        NavItem(
            gettext("Notifications"),
            url_for("notifications.inbox"),
            order=60,
            badge=str(count) if count else None,
        )
    ]


@hookimpl
def slot_thread_tabs(characteristic, actor):
    """A 'Watch' tab leading to the watch form, and 'Unread' (with its count) jumping to the
    first unread comment. Members only: the anonymous page stays the cached one."""
    if not getattr(actor, "is_authenticated", False) or getattr(actor, "id", None) is None:
        return None
    _, watching, count, first = reader_state(actor.id, characteristic.id)
    tabs = [
        NavItem(
            gettext("Watching") if watching else gettext("Watch"),
            url_for("notifications.watch", slug=characteristic.slug),
            order=70,
        )
    ]
    if count:  # straight to the comment: this page's script may move the position meanwhile
        url = url_for("discussion.permalink", comment_id=first)
        tabs.append(NavItem(gettext("Jump to first unread"), url, order=10, badge=badge(count)))
    return tabs


@hookimpl
def markdown_extensions(context):
    """A member's @name in a comment or a part links to their profile (rendered on write)."""
    from forum.notifications.mentions import MentionExtension  # Markdown loads on write only

    return [MentionExtension()] if context in ("comment", "post") else []


@hookimpl
def extra_js_urls(page, actor):
    """Members' script (marks a thread read when shown, @-names, quoting): never on cached pages."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return [url_for("static", filename="js/members.js")]


def _run(fn, *args) -> None:
    """Event handlers write in the emitting transaction (``forum_events_in_transaction``)."""
    fn(*args)


def _became_public(content) -> None:
    if isinstance(content, Comment):
        _run(triggers.comment_public, content)
    elif isinstance(content, Part):
        _run(triggers.part_public, content)


@hookimpl
def content_published(content):
    """(Content public at once fires this too, after ``content_created``: no need to watch both.)"""
    _became_public(content)


@hookimpl
def content_approved(content, actor):
    _run(decided, content, actor, "approved")
    _became_public(content)


@hookimpl
def content_rejected(content, actor, reason):
    _run(decided, content, actor, "did not approve", reason)
    _run(guest_rejected, content, reason)


@hookimpl
def content_hidden(content, actor, reason):
    _run(decided, content, actor, "hid", reason)


@hookimpl
def content_deleted(content, actor):
    _run(decided, content, actor, "removed")


@hookimpl
def role_changed(user, role, granted, actor, reason):
    """Tell the member which role changed, and why."""
    _run(triggers.role_changed, user, role, granted, reason)
