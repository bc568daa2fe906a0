"""``/c/<slug>/unread`` (jump to the first unread comment) and ``/c/<slug>/read`` (move the
member's read position; the thread page's form, sent by the members' script without a click)."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.discussion.models import Comment
from forum.extensions import db
from forum.notifications.reading import first_unread_id, mark_read_upto
from forum.notifications.views import ActionForm, bp
from forum.routing import MAX_ID, is_number
from forum.series.queries import characteristic_or_404


@bp.get("/c/<slug>/unread")
@login_required
def first_unread(slug: str):
    """The first comment the member has not read, or the thread's latest when all are read."""
    ch = characteristic_or_404(slug)
    first = first_unread_id(current_user.id, ch.id)
    if first is None:
        return redirect(url_for("series.thread", slug=ch.slug, _anchor="comments"))
    return redirect(url_for("discussion.permalink", comment_id=first))


def _visible_comment_id(raw: str | None, characteristic_id: int) -> int | None:
    """``raw`` if it names a comment of this thread the member may see (policy-filtered)."""
    if not raw or not is_number(raw) or int(raw) > MAX_ID:
        return None
    return db.session.execute(
        select(Comment.id).where(
            Comment.id == int(raw), Comment.characteristic_id == characteristic_id
        )
    ).scalar_one_or_none()


@bp.post("/c/<slug>/read")
@login_required
def mark_thread_read(slug: str):
    """Read up to the comment ``upto``; 204 for the script, back to the thread for a click."""
    ch = characteristic_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400, description="The form was out of date or forged. Reload the page and try again.")
    upto = _visible_comment_id(request.form.get("upto"), ch.id)
    if upto is None:
        abort(422, description="That comment is not in this thread.")
    mark_read_upto(current_user.id, ch.id, upto)
    db.session.commit()
    if request.headers.get("X-Requested-With") == "fetch":
        return "", 204
    return redirect(url_for("discussion.permalink", comment_id=upto))
