"""Comment pages on a part: post (members and guests), permalink, edit in the window, delete.

They live beside the part pages: series imports discussion, never the reverse.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.content.formats import get_format, submitted_source
from forum.discussion import queries, services
from forum.discussion.forms import DeleteCommentForm, EditCommentForm, comment_form_for
from forum.discussion.models import Comment, CommentStatus
from forum.extensions import db
from forum.kernel.types import ValidationError
from forum.limits import posting_limit
from forum.routing import is_number
from forum.series.models import Characteristic
from forum.series.queries import characteristic_or_404
from forum.visibility import current_actor

bp = Blueprint("discussion", __name__)


def visible_comment_or_404(comment_id: int) -> Comment:
    """A comment this reader may see (the visibility policy filters the SELECT)."""
    comment = db.session.execute(
        select(Comment).where(Comment.id == comment_id)
    ).scalar_one_or_none()
    if comment is None:
        abort(404)
    return comment


def _reply_target(raw: str | None, characteristic: Characteristic) -> Comment | None:
    if not raw:
        return None
    if not is_number(raw) or len(raw) > 9:
        raise ValidationError(gettext("That comment cannot be replied to."), field="body")
    target = db.session.execute(
        select(Comment).where(
            Comment.id == int(raw),
            Comment.characteristic_id == characteristic.id,
            Comment.deleted_at.is_(None),
        )
    ).scalar_one_or_none()
    if target is None:
        raise ValidationError(gettext("That comment cannot be replied to."), field="body")
    return target


@bp.route("/c/<slug>/comments/new")
def new(slug: str):
    """The comment form on its own page (for guests; the thread page stays cacheable)."""
    characteristic = characteristic_or_404(slug)
    return render_template(
        "discussion/form_page.html",
        c=characteristic,
        form=comment_form_for(current_user, characteristic),
    )


@bp.route("/c/<slug>/comments", methods=["POST"])
@posting_limit
def create(slug: str):
    characteristic = characteristic_or_404(slug, for_page=False)
    form = comment_form_for(current_user)
    if form.validate_on_submit():
        try:
            fmt = get_format(form.body_format.data, "comment")
            body = submitted_source(fmt, form)
            comment = services.create_comment(
                characteristic,
                current_actor(),
                body,
                fmt.name,
                reply_to=_reply_target(form.reply_to.data, characteristic),
                guest_name=getattr(form, "guest_name", None) and form.guest_name.data,
                guest_email=getattr(form, "guest_email", None) and form.guest_email.data,
            )
        except ValidationError as error:
            db.session.rollback()
            error.show_on(form, fallback="body")
        else:
            pending, guest, comment_id = (
                comment.status == CommentStatus.PENDING,
                comment.author_id is None,
                comment.id,
            )
            db.session.commit()  # read before: afterwards each attribute would cost a transaction
            if pending:
                flash(
                    gettext("Thank you! Your comment is waiting for a moderator's approval."),
                    "success",
                )
            else:
                flash(gettext("Your comment is published."), "success")
            if guest:  # a guest cannot see their pending comment afterwards
                return redirect(url_for("series.thread", slug=slug))
            return redirect(url_for("discussion.permalink", comment_id=comment_id))
    characteristic = characteristic_or_404(slug)  # (the page's: with its series and prompts)
    return render_template("discussion/form_page.html", c=characteristic, form=form), 422


@bp.route("/comments/<id:comment_id>")
def permalink(comment_id: int):
    comment = visible_comment_or_404(comment_id)
    characteristic = db.session.get(Characteristic, comment.characteristic_id)
    page = queries.page_containing(comment)
    return redirect(
        url_for(
            "series.thread",
            slug=characteristic.slug,
            page=page if page > 1 else None,
            _anchor=f"comment-{comment.id}",
        )
    )


@bp.route("/comments/<id:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    comment = visible_comment_or_404(comment_id)
    if not services.can_edit(comment, current_actor()):
        abort(
            403,
            description=gettext(
                "You can edit your own comment only for a short while after posting it."
            ),
        )
    form = EditCommentForm(data={"body": comment.body_source} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.edit_comment(comment, current_actor(), form.body.data)
        except ValidationError as error:
            db.session.rollback()
            error.show_on(form, fallback="body")
        else:
            db.session.commit()
            flash(gettext("Comment updated."), "success")
            return redirect(url_for("discussion.permalink", comment_id=comment.id))
    return render_template(
        "discussion/edit.html", comment=comment, form=form
    ), 422 if form.errors else 200


@bp.route("/comments/<id:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(comment_id: int):
    """A page that asks first; deleting needs its box ticked (a bare POST deletes nothing)."""
    comment = visible_comment_or_404(comment_id)
    actor = current_actor()
    if comment.author_id != actor.id and not services.is_staff(actor):
        abort(403, description=gettext("You can only delete your own comments."))
    own = comment.author_id == actor.id
    form = DeleteCommentForm()
    if own:
        del form.reason  # only a moderator's deletion is audited with a reason
    if form.validate_on_submit():
        characteristic = db.session.get(Characteristic, comment.characteristic_id)
        services.delete_comment(comment, actor, "" if own else form.reason.data or "")
        db.session.commit()
        flash(gettext("Comment deleted."), "success")
        return redirect(url_for("series.thread", slug=characteristic.slug))
    return render_template(
        "discussion/delete.html", comment=comment, form=form, own=own
    ), 422 if form.errors else 200
