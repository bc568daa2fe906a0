"""``/notifications`` (the inbox, mark read) and ``/watch/<slug>`` (watch a characteristic)."""

from __future__ import annotations

from math import ceil

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from forum.accounts.blueprint import safe_next
from forum.content.forms import TextCheckedForm
from forum.db import utcnow
from forum.extensions import db
from forum.feeds.pages import by_slug_or_404
from forum.notifications.delivery import urgent_kinds
from forum.notifications.models import WATCH_SCOPES, Notification, Watch
from forum.notifications.services import mark_read, unread_count
from forum.routing import page_arg
from forum.series import links
from forum.series.models import Characteristic
from forum.visibility.permissions import require

bp = Blueprint("notifications", __name__)
PER_PAGE = 20


class ActionForm(TextCheckedForm):
    """CSRF only: every button on these pages posts one."""


@bp.route("/notifications")
@login_required
def inbox():
    total = db.session.execute(
        select(func.count(Notification.id)).where(Notification.user_id == current_user.id)
    ).scalar_one()
    page = page_arg(last=max(1, ceil(total / PER_PAGE)))
    notes = (
        db.session.execute(
            select(Notification)
            .where(Notification.user_id == current_user.id)
            .order_by(Notification.id.desc())
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        )
        .scalars()
        .all()
    )
    return render_template(
        "notifications/inbox.html",
        notes=notes,
        page=page,
        pages=max(1, ceil(total / PER_PAGE)),
        unread=unread_count(current_user.id),
        urgent_kinds=urgent_kinds(),
        form=ActionForm(),
    )


@bp.route("/notifications/<id:note_id>/read", methods=["POST"])
@login_required
def read_one(note_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    note = db.session.get(Notification, note_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    mark_read(current_user.id, note_id)
    db.session.commit()
    if request.form.get("open") == "1":  # "//host" also starts with "/": same-site paths only
        return redirect(safe_next(note.url, url_for("notifications.inbox")))
    return redirect(url_for("notifications.inbox"))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    if not ActionForm().validate_on_submit():
        abort(400)
    count = mark_read(current_user.id)
    db.session.commit()
    flash(
        ngettext(
            "%(num)s notification marked as read.", "%(num)s notifications marked as read.", count
        ),
        "success",
    )
    return redirect(url_for("notifications.inbox"))


def _apply_watch(current: Watch | None, ch: Characteristic, action: str, scope: str) -> str:
    """Watch (with its scope), change the scope, or unwatch; the message to flash."""
    if action == "unwatch":
        if current is not None:
            db.session.delete(current)
        return gettext("You no longer watch %(title)s.", title=ch.title)
    if current is None:
        current = Watch(user_id=current_user.id, characteristic_id=ch.id, created_at=utcnow())
        db.session.add(current)
    current.scope = scope
    if scope == "all":
        return gettext(
            "You are now watching %(title)s: new parts and new comments.", title=ch.title
        )
    return gettext("You are now watching %(title)s: new parts only.", title=ch.title)


@bp.route("/watch/<slug>", methods=["GET", "POST"])
@login_required
@require("characteristic.watch")
def watch(slug: str):
    """Watch a thread for new parts only, or for new parts and comments (the member's choice)."""
    ch = by_slug_or_404(Characteristic, slug)
    current = db.session.get(Watch, (current_user.id, ch.id))
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        action = request.form.get("action")
        scope = request.form.get("scope", current.scope if current else "parts")
        if action not in ("watch", "unwatch") or scope not in WATCH_SCOPES:
            abort(400, description=gettext("Choose to watch or to stop watching."))
        flash(_apply_watch(current, ch, action, scope), "success")
        db.session.commit()
        return redirect(url_for("notifications.watch", slug=ch.slug))
    return render_template(
        "notifications/watch.html",
        ch=ch,
        watching=current is not None,
        scope=current.scope if current else "all",
        scopes=WATCH_SCOPES,
        form=form,
        thread_url=links.characteristic_url(ch),
    )
