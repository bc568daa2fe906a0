"""E-mail pages: a member's e-mail setting, one-click unsubscribe, and failed mail for admins.

``/notifications/email``: per notification kind, immediately, in the daily digest or off, and a
switch for all of it. ``/notifications/unsubscribe/<token>``: the List-Unsubscribe link of every
notification e-mail, for its kind (or all mail, from a digest). RFC 8058: mail clients POST
``List-Unsubscribe=One-Click`` without a session or CSRF token; the signed token is the proof.
``/admin/mail``: failed messages with Retry and Drop (``mail.manage``, audited).
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.extensions import csrf, db, limiter
from forum.notifications import outbox
from forum.notifications.delivery import chosen_modes, kind_spec, mailable_kinds, set_mode
from forum.notifications.message import unsubscribe_target
from forum.notifications.models import MAIL_MODES, MailOptOut, OutboxMail
from forum.notifications.views import ActionForm, bp
from forum.visibility import current_actor
from forum.visibility.permissions import require


def _set_wanted(user_id: int, wanted: bool) -> None:
    current = db.session.get(MailOptOut, user_id)
    if wanted and current is not None:
        db.session.delete(current)
    elif not wanted and current is None:
        db.session.add(MailOptOut(user_id=user_id))


def _save_modes(user_id: int) -> set[str]:
    """Each kind's mode from the form (``mode-<kind>``); the names of kinds given a bad value."""
    bad = set()
    for kind in mailable_kinds():
        mode = request.form.get(f"mode-{kind.name}")
        if mode is None:
            continue
        if mode in MAIL_MODES:
            set_mode(user_id, kind.name, mode)
        else:
            bad.add(kind.name)
    return bad


def _settings_page(form, status: int = 200, bad: AbstractSet[str] = frozenset()):
    """The page; after a refused POST, the member's other choices as they sent them."""
    modes = chosen_modes(current_user.id)
    if bad:
        sent = {k: request.form.get(f"mode-{k}") for k in modes}
        modes.update({k: v for k, v in sent.items() if v in MAIL_MODES})
    return render_template(
        "notifications/email.html",
        form=form,
        wanted=db.session.get(MailOptOut, current_user.id) is None,
        kinds=mailable_kinds(),
        modes=modes,
        mode_labels=MAIL_MODES,
        bad=bad,
    ), status


@bp.route("/notifications/email", methods=["GET", "POST"])
@login_required
def email_settings():
    form = ActionForm()
    if request.method == "GET":
        return _settings_page(form)
    if not form.validate_on_submit():
        abort(
            400,
            description=gettext(
                "The form was out of date or forged. Reload the page and try again."
            ),
        )
    if request.form.get("email") in ("on", "off"):
        _set_wanted(current_user.id, request.form["email"] == "on")
    bad = _save_modes(current_user.id)
    if bad:
        db.session.rollback()
        return _settings_page(form, 422, bad)
    db.session.commit()
    flash(gettext("Saved."), "success")
    return redirect(url_for("notifications.email_settings"))


def _target_for_token(token: str) -> tuple[User, str] | None:
    """The member and the kind ("" for all notification mail) a one-click token stops."""
    target = unsubscribe_target(token) if len(token) < 600 else None
    if not target or (target[1] and kind_spec(target[1]) is None):
        return None
    user = db.session.execute(
        select(User).where(func.lower(User.email) == target[0])
    ).scalar_one_or_none()
    return (user, target[1]) if user is not None else None


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit("30/minute", methods=["POST"])
def unsubscribe(token: str):
    """GET asks to confirm (link scanners must not unsubscribe anyone); POST unsubscribes."""
    target = _target_for_token(token)
    if target is None:
        abort(404)
    user, kind = target
    spec = kind_spec(kind) if kind else None
    if request.method == "POST":
        if spec is not None:
            set_mode(user.id, kind, "off")
        else:
            _set_wanted(user.id, False)
        db.session.commit()
        return render_template("notifications/unsubscribed.html", kind=spec)
    return render_template("notifications/unsubscribe.html", token=token, kind=spec)


@bp.get("/admin/mail")
@require("mail.manage")
def failed_mail():
    return render_template("admin/mail.html", mails=outbox.failed_mails(), form=ActionForm())


def _failed_or_404(mail_id: int) -> OutboxMail:
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None or mail.failed_at is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(
            400,
            description=gettext(
                "The form was out of date or forged. Reload the page and try again."
            ),
        )
    return mail


@bp.post("/admin/mail/<id:mail_id>/retry")
@require("mail.manage")
def retry_mail(mail_id: int):
    outbox.retry(_failed_or_404(mail_id), current_actor())
    db.session.commit()
    flash(gettext("The message is queued again; the next run of the mail job sends it."), "success")
    return redirect(url_for("notifications.failed_mail"))


@bp.post("/admin/mail/<id:mail_id>/drop")
@require("mail.manage")
def drop_mail(mail_id: int):
    outbox.drop(_failed_or_404(mail_id), current_actor())
    db.session.commit()
    flash(gettext("The message was dropped."), "success")
    return redirect(url_for("notifications.failed_mail"))
