"""Public directory, my pairs, proposals, ending, leaving (export, deletion)."""

from __future__ import annotations

from flask import Response, abort, flash, render_template
from flask_babel import gettext

from forum.sdk import db, page_arg, require, submit_form
from forum_pair_spaces.forms import ActionForm, ConfirmForm, DeclineForm, ProposeForm
from forum_pair_spaces.models import Pair
from forum_pair_spaces.services import leaving, pairing, readable_export
from forum_pair_spaces.statuses import PairStatus
from forum_pair_spaces.views import bp
from forum_pair_spaces.views.helpers import actor, back_to, invalid, space_view


@bp.route("/pairs")
def directory():
    pairs = pairing.directory(page_arg())
    return render_template("pair_spaces/directory.html", pairs=pairs)


def _mine_context(form):
    me = actor()
    return {
        "form": form,
        "action": ActionForm(),
        "pairs": pairing.pairs_of(me, tuple(PairStatus)),
    }


@bp.route("/mine")
@require("pair_spaces.join")
def mine():
    return render_template("pair_spaces/mine.html", **_mine_context(ProposeForm()))


@bp.route("/propose", methods=["POST"])
@require("pair_spaces.join")
def propose():
    form = ProposeForm()
    done, _pair = submit_form(
        form,
        lambda: pairing.propose(actor(), pairing.find_user(form.username.data), form.role.data),
    )
    if not done:
        return invalid("pair_spaces/mine.html", **_mine_context(form))
    db.session.commit()
    flash(gettext("Proposal sent. The pair forms when both of you have accepted."), "success")
    return back_to("pair_spaces.mine")


def _proposal(pair_id: int) -> Pair:
    pair = db.session.get(Pair, pair_id)
    if pair is None or not pair.has_member(actor()):
        abort(404)
    return pair


@bp.route("/<id:pair_id>/accept", methods=["POST"])
@require("pair_spaces.join")
def accept(pair_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    pair = pairing.accept(_proposal(pair_id), actor())
    db.session.commit()
    if pair.status == PairStatus.ACTIVE:
        flash(
            gettext("The pair is formed. Agree your confidentiality protocol to open the space."),
            "success",
        )
        return back_to("pair_spaces.agreement", pair_id=pair.id)
    return back_to("pair_spaces.mine")


@bp.route("/<id:pair_id>/decline", methods=["POST"])
@require("pair_spaces.join")
def decline(pair_id):
    form = DeclineForm()
    if not form.validate_on_submit():
        for error in form.reason.errors:
            flash(gettext("Reason: %(error)s", error=error), "error")
        return invalid("pair_spaces/mine.html", **_mine_context(ProposeForm()))
    pairing.decline(_proposal(pair_id), actor(), form.reason.data or "")
    db.session.commit()
    flash(gettext("Proposal closed."), "info")
    return back_to("pair_spaces.mine")


def _leave_page(pair, form=None, status: int = 200):
    return render_template(
        "pair_spaces/leave.html", pair=pair, confirm_form=form or ConfirmForm()
    ), status


@bp.route("/<id:pair_id>/leave")
@space_view(open_required=False)
def leave(pair):
    return _leave_page(pair)


@bp.route("/<id:pair_id>/end", methods=["POST"])
@space_view(open_required=False)
def end(pair):
    """Ending asks first: without the ticked box the page comes back (422), the pair unchanged."""
    form = ConfirmForm()
    if not submit_form(form, lambda: pairing.end(pair, actor()))[0]:
        return _leave_page(pair, form, 422)
    db.session.commit()
    flash(gettext("The pair has ended. The space stays readable until it is deleted."), "info")
    return back_to("pair_spaces.leave", pair_id=pair.id)


@bp.route("/<id:pair_id>/delete-request", methods=["POST"])
@space_view(open_required=False)
def delete_request(pair):
    form = ConfirmForm()
    done, deleted = submit_form(form, lambda: leaving.request_delete(pair, actor()))
    if not done:
        return _leave_page(pair, form, 422)
    db.session.commit()
    if deleted:
        flash(gettext("Both of you asked: the space has been deleted."), "info")
        return back_to("pair_spaces.mine")
    flash(
        gettext(
            "Your request is recorded. The space is deleted when both ask, or after the "
            "retention period."
        ),
        "info",
    )
    return back_to("pair_spaces.leave", pair_id=pair.id)


@bp.route("/<id:pair_id>/export.json")
@space_view(open_required=False)
def export_json(pair):
    body = leaving.export_json(pair, actor())
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="pair-space-{pair.id}.json"'},
    )


@bp.route("/<id:pair_id>/export.md")
@space_view(open_required=False)
def export_markdown(pair):
    body = readable_export.export_markdown(pair, actor())
    return Response(
        body,
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="pair-space-{pair.id}.md"'},
    )
