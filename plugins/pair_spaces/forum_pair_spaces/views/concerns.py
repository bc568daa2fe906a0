"""Concerns, answers and disclosure notices."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_babel import gettext

from forum.sdk import db, submit_form
from forum_pair_spaces.forms import ActionForm, ConcernForm, NoticeForm, ResponseForm
from forum_pair_spaces.services import concerns
from forum_pair_spaces.views import bp
from forum_pair_spaces.views.helpers import actor, back_to, invalid, space_view


@bp.route("/<id:pair_id>/concerns", methods=["GET", "POST"])
@space_view()
def concern_list(pair):
    form = ConcernForm()
    done, concern = submit_form(
        form,
        lambda: concerns.raise_concern(
            pair,
            actor(),
            form.issue.data,
            form.responsibilities.data,
            form.proposal.data,
            form.immediate_danger.data,
        ),
    )
    if done:
        db.session.commit()
        return back_to("pair_spaces.concern", pair_id=pair.id, concern_id=concern.id)
    return render_template(
        "pair_spaces/concerns.html", pair=pair, form=form, concerns=concerns.concerns(pair)
    ), 422 if form.is_submitted() else 200


def _concern_context(pair, concern, response_form=None, notice_form=None):
    me, concern_notices = actor(), concerns.notices(concern)
    return {
        "pair": pair,
        "concern": concern,
        "responses": concerns.responses(concern),
        "notices": concern_notices,
        "awaiting": concerns.awaiting(concern, concern_notices, me),
        "response_form": response_form or ResponseForm(),
        "notice_form": notice_form or NoticeForm(),
        "action": ActionForm(),
        "earliest": concerns.earliest_date(concern),
        "me": me,
    }


def _load(pair, concern_id):
    concern = concerns.get(pair, concern_id)
    if concern is None:
        abort(404)
    return concern


@bp.route("/<id:pair_id>/concerns/<id:concern_id>")
@space_view()
def concern(pair, concern_id):
    """Read-only: the other party's receipt is their own POST to ``acknowledge``, never this GET."""
    return render_template(
        "pair_spaces/concern.html", **_concern_context(pair, _load(pair, concern_id))
    )


@bp.route("/<id:pair_id>/concerns/<id:concern_id>/seen", methods=["POST"])
@space_view()
def acknowledge(pair, concern_id):
    item = _load(pair, concern_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = concerns.acknowledge(pair, item, actor())
    except PermissionError as refused:
        abort(403, description=str(refused))
    db.session.commit()
    if count:
        flash(gettext("Recorded: you have read this concern and its notices."), "success")
    return back_to("pair_spaces.concern", pair_id=pair.id, concern_id=item.id)


@bp.route("/<id:pair_id>/concerns/<id:concern_id>/respond", methods=["POST"])
@space_view()
def respond(pair, concern_id):
    item = _load(pair, concern_id)
    form = ResponseForm()
    done, _response = submit_form(
        form, lambda: concerns.respond(pair, item, actor(), form.kind.data, form.body.data), "body"
    )
    if not done:
        return invalid(
            "pair_spaces/concern.html", **_concern_context(pair, item, response_form=form)
        )
    db.session.commit()
    return back_to("pair_spaces.concern", pair_id=pair.id, concern_id=item.id)


@bp.route("/<id:pair_id>/concerns/<id:concern_id>/notice", methods=["POST"])
@space_view()
def notice(pair, concern_id):
    item = _load(pair, concern_id)
    form = NoticeForm()
    done, _notice = submit_form(
        form,
        lambda: concerns.record_notice(
            pair, item, actor(), form.what.data, form.to_whom.data, form.disclose_on.data
        ),
        "what",
    )
    if not done:
        return invalid("pair_spaces/concern.html", **_concern_context(pair, item, notice_form=form))
    db.session.commit()
    return back_to("pair_spaces.concern", pair_id=pair.id, concern_id=item.id)
