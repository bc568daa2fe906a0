"""Notification e-mail: each kind goes immediately, in the daily digest, or not at all.

Every notice of a kind that mails is queued whether or not ``MAIL_URL`` is set: the sender sends
it, or prints it (the console backend), so nothing is lost before a mail server is configured.
A member's choice per kind (``MailPreference``) overrides the kind's ``email_default``; the
global switch (``MailOptOut``) stops all of it. Texts are the notices' content-free lines.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.kernel.locales import N_
from forum.kernel.registries import notification_kinds, owner
from forum.kernel.state import is_enabled
from forum.kernel.types import NotificationKind
from forum.mail.outbox import queue_mail
from forum.mail.text import absolute_url
from forum.notifications.message import site_path
from forum.notifications.models import (
    MAIL_MODES,
    DigestItem,
    MailOptOut,
    MailPreference,
)

EMAIL_FOOTER = N_(
    "You get this e-mail because of your notification settings on the Mentorship Forum."
)
SUBJECT_PREFIX = "[Mentorship Forum]"


def kind_spec(kind: str) -> NotificationKind | None:
    return notification_kinds(current_app).get(kind)


def _enabled(kind: NotificationKind) -> bool:
    """The kind's plugin is switched on (core's kinds always are)."""
    plugin = owner(current_app, "register_notification_kinds", kind.name)
    return plugin in (None, "core") or is_enabled(plugin)


def mailable_kinds() -> list[NotificationKind]:
    """Every kind of an enabled plugin that may go by e-mail, in a stable order for the page."""
    kinds = notification_kinds(current_app).values()
    return sorted((k for k in kinds if k.email and _enabled(k)), key=lambda k: k.label.lower())


def urgent_kinds() -> set[str]:
    """Kinds marked urgent in the inbox and in the e-mail subject."""
    return {k.name for k in notification_kinds(current_app).values() if k.urgent}


def wants_mail(user_id: int) -> bool:
    """False when the member stopped all notification e-mail."""
    return db.session.get(MailOptOut, user_id) is None


def chosen_modes(user_id: int) -> dict[str, str]:
    """The member's mode for every mailable kind: their choice, else the kind's default."""
    rows = db.session.execute(
        select(MailPreference.kind, MailPreference.mode).where(MailPreference.user_id == user_id)
    ).all()
    chosen = dict(rows)
    return {k.name: chosen.get(k.name, k.email_default) for k in mailable_kinds()}


def mode_for(user_id: int, kind: str) -> str:
    spec = kind_spec(kind)
    if spec is None or not spec.email or not wants_mail(user_id):
        return "off"
    row = db.session.get(MailPreference, (user_id, kind))
    mode = row.mode if row is not None else spec.email_default
    return mode if mode in MAIL_MODES else "off"


def set_mode(user_id: int, kind: str, mode: str) -> None:
    """Record the member's choice for one kind (caller commits)."""
    if mode not in MAIL_MODES:
        raise ValueError(f"unknown mail mode {mode!r}")
    row = db.session.get(MailPreference, (user_id, kind))
    if row is None:
        db.session.add(MailPreference(user_id=user_id, kind=kind, mode=mode))
    else:
        row.mode = mode


def urgent_mark(kind: str) -> str:
    """The mark before an urgent kind's text, in subjects and digest lines ("" for others)."""
    spec = kind_spec(kind)
    return gettext("[Urgent]") + " " if spec is not None and spec.urgent else ""


def subject_for(kind: str, text: str) -> str:
    return f"{SUBJECT_PREFIX} {urgent_mark(kind)}{text}"


def footer() -> str:
    settings = absolute_url(site_path("notifications.email_settings"))
    change = gettext("Change them or stop these e-mails: %(url)s", url=settings)
    return f"-- \n{gettext(EMAIL_FOOTER)}\n{change}\n"


def deliver(user_id: int, kind: str, text: str, url: str) -> None:
    """Mail the notice now, keep it for the digest, or nothing, as the member chose."""
    mode = mode_for(user_id, kind)
    if mode == "off":
        return
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not user.email:
        return
    if mode == "digest":
        db.session.add(DigestItem(user_id=user_id, kind=kind, text=text[:500], url=url[:500]))
        return
    link = absolute_url(url or site_path("series.home"))
    body = f"{gettext('Hello %(name)s,', name=user.name)}\n\n{text}\n\n{link}\n\n{footer()}"
    queue_mail(user.email, subject_for(kind, text), body, kind=kind)
