"""Moderator pages: the review queue, one item's page with its actions, and thread locks."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from forum.accounts.models import User
from forum.content.forms import submit_form
from forum.discussion.models import Comment
from forum.extensions import db
from forum.kernel.locales import N_, local_to_utc
from forum.kernel.types import ValidationError
from forum.moderation import decisions, services
from forum.moderation import queue as review_queue
from forum.moderation.audit_views import entries_for
from forum.moderation.blueprint import back, bp
from forum.moderation.errors import InvalidTransition
from forum.moderation.forms import FLAG_REASON_LABELS, CommentEditForm, ReasonForm
from forum.moderation.models import Flag
from forum.moderation.targets import kind_of, load
from forum.routing import MAX_ID, is_number, page_arg
from forum.series.models import Characteristic, Series
from forum.visibility import current_actor
from forum.visibility.permissions import require

PAGE_SIZE = 25
MAX_BULK = 200


def _characteristic_arg() -> int | None:
    raw = request.args.get("characteristic", "")
    if not raw:
        return None
    if not is_number(raw) or len(raw) > 10 or not 0 < int(raw) <= MAX_ID:
        abort(400, description=gettext("'characteristic' must be an id."))
    return int(raw)


def characteristics() -> list[tuple[Characteristic, Series]]:
    return db.session.execute(
        select(Characteristic, Series)
        .join(Series, Series.id == Characteristic.series_id)
        .order_by(Series.id, Characteristic.number)
    ).all()


# --- the queue --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class QueueRefusal:
    """A decision the queue refused: the message goes beside ``field`` and ``typed`` (the posted
    form) fills the reasons, dates and ticks in again."""

    field: str = ""
    message: str = ""
    typed: MultiDict = dataclasses.field(default_factory=MultiDict)


def _queue_page(status: int = 200, refused: QueueRefusal | None = None):
    """The queue as the query string filters it (the decision form posts to the same query)."""
    kind = request.args.get("kind") or None
    if kind is not None and kind not in review_queue.QUEUE_KINDS:
        abort(400, description=gettext("Unknown kind of queue item."))
    characteristic_id = _characteristic_arg()
    counts = review_queue.counts(characteristic_id)
    last_page = review_queue.last_page(counts, kind, PAGE_SIZE)
    page = page_arg(last=last_page)
    threads = characteristics()
    query = {k: v for k, v in (("kind", kind), ("characteristic", characteristic_id)) if v}
    return render_template(
        "moderation/queue.html",
        items=review_queue.listing(kind, characteristic_id, page, PAGE_SIZE),
        counts=counts,
        kind=kind,
        page=page,
        query=query,
        last_page=last_page,
        kinds=review_queue.QUEUE_KINDS,
        threads=threads,
        titles={c.id: c for c, _s in threads},
        characteristic_id=characteristic_id,
        elsewhere=review_queue.sections_elsewhere(current_actor()),
        refused=refused or QueueRefusal(),
    ), status


@bp.get("/moderation/queue")
@require("moderation.review")
def queue():
    return _queue_page()


def _publish_at(raw: str | None, key: str) -> datetime | None:
    """A ``datetime-local`` value, read in the moderator's own time zone and stored as UTC; empty
    means "now" (or the planned date)."""
    if not raw:
        return None
    try:
        zone = getattr(current_actor(), "timezone", None)
        return local_to_utc(datetime.fromisoformat(raw[:19]), zone)
    except ValueError:
        raise ValidationError(
            gettext("The publish date is not a date and time."), field=f"publish_at-{key}"
        ) from None


def _decision_request() -> tuple[str, list[str], str, str, datetime | None]:
    """(action, item keys, reason, the reason's field, publish_at) from a per-item button or the
    bulk controls."""
    single = request.form.get("decide", "")
    if single:
        action, _, key = single.partition(":")
        return (
            action,
            [key],
            request.form.get(f"reason-{key}", ""),
            f"reason-{key}",
            _publish_at(request.form.get(f"publish_at-{key}"), key),
        )
    keys = request.form.getlist("item")
    if len(keys) > MAX_BULK:
        abort(400, description=gettext("Select at most %(num)s items at once.", num=MAX_BULK))
    return request.form.get("action", ""), keys, request.form.get("reason", ""), "reason", None


@bp.post("/moderation/queue")
@require("moderation.review")
def decide():
    """Approve or reject one item (its own button) or every checked item (bulk). A refused
    decision (no reason to reject, a date that is not one) shows the queue again (422) with the
    message beside its field and everything typed still there."""
    try:
        return _decide()
    except InvalidTransition:
        raise
    except ValidationError as error:
        db.session.rollback()
        return _queue_page(422, QueueRefusal(error.field or "", error.message, request.form))


def _decide():
    action, keys, reason, reason_field, publish_at = _decision_request()
    if action not in ("approve", "reject"):
        abort(400, description=gettext("Choose approve or reject."))
    default = url_for("moderation.queue")
    if not keys:
        flash(gettext("Select at least one item first."), "error")
        return back(default)
    if action == "reject" and not reason.strip():
        raise ValidationError(
            gettext("Give a reason for rejecting; the author will read it."), field=reason_field
        )
    actor = current_actor()
    done = skipped = 0
    for kind, item_id in [decisions.parse_key(k) for k in keys]:
        obj = decisions.load_item(kind, item_id)
        try:
            changed = obj is not None and (
                decisions.approve(kind, obj, actor, publish_at)
                if action == "approve"
                else decisions.reject(kind, obj, actor, reason)
            )
        except InvalidTransition:
            changed = False
        done, skipped = done + bool(changed), skipped + (not changed)
    db.session.commit()
    verb = "approved or kept" if action == "approve" else "rejected or hidden"
    flash(
        f"{done} item{'s' if done != 1 else ''} {verb}."
        + (f" {skipped} had already been decided." if skipped else ""),
        "success",
    )
    return back(default)


# --- one piece of content: state, flags, history and actions -------------------------------------

CONTENT_ACTIONS = {
    "hide": services.hide,
    "unhide": services.unhide,
    "delete": services.delete,
    "restore": services.restore,
    "keep": services.keep,
}
#: what the moderator is told once an action is done (``#id`` follows)
ACTION_DONE = {
    ("hide", "part"): N_("Part hidden"),
    ("hide", "comment"): N_("Comment hidden"),
    ("unhide", "part"): N_("Part shown again"),
    ("unhide", "comment"): N_("Comment shown again"),
    ("delete", "part"): N_("Part deleted"),
    ("delete", "comment"): N_("Comment deleted"),
    ("restore", "part"): N_("Part restored"),
    ("restore", "comment"): N_("Comment restored"),
    ("keep", "part"): N_("Part kept; its flags are closed"),
    ("keep", "comment"): N_("Comment kept; its flags are closed"),
}


@bp.get("/moderation/content/<kind>/<id:object_id>")
@require("moderation.review")
def content(kind: str, object_id: int):
    return _content_page(kind, load(kind, object_id))


def _content_page(kind: str, obj, form: ReasonForm | None = None, status: int = 200):
    """One item's page; a refused action comes back with its reason and the error beside it."""
    flags = (
        db.session.execute(
            select(Flag)
            .where(Flag.target_type == kind, Flag.target_id == obj.id)
            .order_by(Flag.id.desc())
        )
        .scalars()
        .all()
    )
    history = entries_for(kind, obj.id)
    characteristic = db.session.get(Characteristic, obj.characteristic_id)
    author = db.session.get(User, obj.author_id) if obj.author_id else None
    return render_template(
        "moderation/content.html",
        obj=obj,
        flag_reasons=FLAG_REASON_LABELS,
        kind=kind,
        flags=flags,
        author=author,
        open_count=sum(f.resolved_at is None for f in flags),
        history=history,
        characteristic=characteristic,
        form=form or ReasonForm(),
    ), status


@bp.post("/moderation/content/<kind>/<id:object_id>/<action>")
@require("moderation.act")
def content_action(kind: str, object_id: int, action: str):
    act = CONTENT_ACTIONS.get(action)
    if act is None:
        abort(404)
    obj = load(kind, object_id)
    form = ReasonForm()
    try:
        done, _changed = submit_form(
            form, lambda: act(obj, current_actor(), form.reason.data or "")
        )
    except InvalidTransition:
        raise  # already in that state (a stale page): 409
    if not done:
        return _content_page(kind, load(kind, object_id), form, 422)
    db.session.commit()
    done_label = ACTION_DONE.get((action, kind_of(obj)), N_("Done"))
    flash(gettext("%(done)s: #%(id)s.", done=gettext(done_label), id=obj.id), "success")
    return back(url_for("moderation.content", kind=kind, object_id=obj.id))


# --- threads: lock and unlock ------------------------------------------------------------------


@bp.get("/moderation/threads")
@require("moderation.act")
def threads():
    return render_template("moderation/threads.html", threads=characteristics(), form=ReasonForm())


@bp.post("/moderation/threads/<id:characteristic_id>/<action>")
@require("moderation.act")
def lock(characteristic_id: int, action: str):
    if action not in ("lock", "unlock"):
        abort(404)
    characteristic = db.session.get(Characteristic, characteristic_id) or abort(404)
    form = ReasonForm()
    if not form.validate_on_submit():
        raise ValidationError(gettext("The reason is too long."), field="reason")
    services.set_locked(characteristic, current_actor(), action == "lock", form.reason.data or "")
    db.session.commit()
    flash(
        gettext("%(title)s: thread locked.", title=characteristic.title)
        if action == "lock"
        else gettext("%(title)s: thread open again.", title=characteristic.title),
        "success",
    )
    return back(url_for("moderation.threads"))


# --- edit a comment, then approve it --------------------------------------------------------------


@bp.route("/moderation/comments/<id:comment_id>/edit", methods=["GET", "POST"])
@require("moderation.review")
def edit_comment(comment_id: int):
    comment = db.session.get(Comment, comment_id) or abort(404)
    form = CommentEditForm(data={"body": comment.body_source} if request.method == "GET" else None)
    if form.validate_on_submit():
        actor = current_actor()
        services.edit_comment_for_review(comment, actor, form.body.data, form.reason.data or "")
        if comment.status != "approved":
            decisions.approve("comment", comment, actor)
        db.session.commit()
        flash(gettext("Comment #%(id)s edited and approved.", id=comment.id), "success")
        return back(url_for("moderation.queue"))
    return render_template(
        "moderation/edit_comment.html",
        comment=comment,
        form=form,
        next=request.values.get("next", ""),
    ), 422 if form.errors else 200
