"""The daily digest: one e-mail per member gathering the notices they chose to get that way.

The ``mail-digest`` periodic job looks for members whose oldest waiting item is at least
``MAIL_DIGEST_HOURS`` old (a day by default) and sends each one message with every waiting item,
so nobody gets more than one digest a day and no item waits much longer than that.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext, ngettext
from sqlalchemy import delete, func, select

from forum.accounts.models import User
from forum.db import utcnow
from forum.extensions import db
from forum.mail.text import absolute_url
from forum.notifications.delivery import (
    SUBJECT_PREFIX,
    footer,
    queue_mail,
    urgent_mark,
    wants_mail,
)
from forum.notifications.models import DigestItem
from forum.notifications.services import in_language_of

DIGEST_KIND = "digest"


def _due_users() -> list[int]:
    hours = int(current_app.config.get("MAIL_DIGEST_HOURS", 24))
    cutoff = utcnow() - timedelta(hours=hours)
    return list(
        db.session.execute(
            select(DigestItem.user_id)
            .group_by(DigestItem.user_id)
            .having(func.min(DigestItem.created_at) <= cutoff)
        ).scalars()
    )


def _line(item: DigestItem) -> str:
    link = f"\n  {absolute_url(item.url)}" if item.url else ""
    return f"- {urgent_mark(item.kind)}{item.text}{link}"


def digest_body(user: User, items: list[DigestItem]) -> str:
    lines = "\n".join(_line(item) for item in items)
    hello, since = gettext("Hello %(name)s,", name=user.name), gettext("Since your last digest:")
    return f"{hello}\n\n{since}\n\n{lines}\n\n{footer()}"


def send_digest(user_id: int) -> bool:
    """Queue one member's digest and clear their items; False when nothing was queued."""
    items = list(
        db.session.execute(
            select(DigestItem).where(DigestItem.user_id == user_id).order_by(DigestItem.id)
        ).scalars()
    )
    user = db.session.get(User, user_id)
    db.session.execute(delete(DigestItem).where(DigestItem.id.in_([i.id for i in items])))
    if not items or user is None or not user.is_active or not user.email:
        return False
    if not wants_mail(user_id):
        return False
    with in_language_of(user_id):
        count = ngettext(
            "Your daily digest: %(num)d notification",
            "Your daily digest: %(num)d notifications",
            len(items),
        )
        queue_mail(
            user.email, f"{SUBJECT_PREFIX} {count}", digest_body(user, items), kind=DIGEST_KIND
        )
    return True


def send_digests() -> str:
    """The ``mail-digest`` periodic job: every due member's digest, each committed on its own."""
    sent = 0
    for user_id in _due_users():
        sent += send_digest(user_id)
        db.session.commit()
    return f"{sent} digest{'s' * (sent != 1)} queued"
