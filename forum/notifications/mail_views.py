"""E-mail pages: a member's e-mail setting, one-click unsubscribe, and failed mail for admins.

``/notifications/email``: switch notification e-mail off or on. ``/notifications/unsubscribe/
<token>``: the List-Unsubscribe link of every notification e-mail (RFC 8058: mail clients POST
``List-Unsubscribe=One-Click`` without a session or CSRF token; the signed token is the proof).
``/admin/mail``: failed messages with Retry and Drop (``mail.manage``, audited).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.extensions import csrf, db, limiter
from forum.notifications import outbox
from forum.notifications.message import address_for_token
from forum.notifications.models import MailOptOut, OutboxMail
from forum.notifications.views import ActionForm, bp
from forum.visibility import current_actor
from forum.visibility.permissions import require


def _set_wanted(user_id: int, wanted: bool) -> None:
    current = db.session.get(MailOptOut, user_id)
    if wanted and current is not None:
        db.session.delete(current)
    elif not wanted and current is None:
        db.session.add(MailOptOut(user_id=user_id))


@bp.route("/notifications/email", methods=["GET", "POST"])
@login_required
def email_settings():
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit() or request.form.get("email") not in ("on", "off"):
            abort(400, description="Choose to get notification e-mail or not.")
        _set_wanted(current_user.id, request.form["email"] == "on")
        db.session.commit()
        flash("Saved.", "success")
        return redirect(url_for("notifications.email_settings"))
    wanted = db.session.get(MailOptOut, current_user.id) is None
    return render_template("notifications/email.html", form=form, wanted=wanted)


def _user_for_token(token: str) -> User | None:
    address = address_for_token(token) if len(token) < 600 else None
    if not address:
        return None
    return db.session.execute(
        select(User).where(func.lower(User.email) == address)
    ).scalar_one_or_none()


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit("30/minute", methods=["POST"])
def unsubscribe(token: str):
    """GET asks to confirm (link scanners must not unsubscribe anyone); POST unsubscribes."""
    user = _user_for_token(token)
    if user is None:
        abort(404)
    if request.method == "POST":
        _set_wanted(user.id, False)
        db.session.commit()
        return render_template("notifications/unsubscribed.html")
    return render_template("notifications/unsubscribe.html", token=token)


@bp.get("/admin/mail")
@require("mail.manage")
def failed_mail():
    return render_template("admin/mail.html", mails=outbox.failed_mails(), form=ActionForm())


def _failed_or_404(mail_id: int) -> OutboxMail:
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None or mail.failed_at is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400, description="The form was out of date or forged. Reload the page and try again.")
    return mail


@bp.post("/admin/mail/<id:mail_id>/retry")
@require("mail.manage")
def retry_mail(mail_id: int):
    outbox.retry(_failed_or_404(mail_id), current_actor())
    db.session.commit()
    flash("The message is queued again; the next run of the mail job sends it.", "success")
    return redirect(url_for("notifications.failed_mail"))


@bp.post("/admin/mail/<id:mail_id>/drop")
@require("mail.manage")
def drop_mail(mail_id: int):
    outbox.drop(_failed_or_404(mail_id), current_actor())
    db.session.commit()
    flash("The message was dropped.", "success")
    return redirect(url_for("notifications.failed_mail"))
