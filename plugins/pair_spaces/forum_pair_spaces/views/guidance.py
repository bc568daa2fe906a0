"""Supervisor guidance: asked and read inside the space, answered in a thread outside it.

The supervisor's pages name nobody unless the requester signed (``guidance.requester_label``).
"""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext

from forum.sdk import db, require, submit_form
from forum_pair_spaces.forms import ActionForm, GuidanceForm, ReplyForm
from forum_pair_spaces.models import GuidanceRequest
from forum_pair_spaces.services import guidance
from forum_pair_spaces.views import bp
from forum_pair_spaces.views.helpers import actor, back_to, space_view


def _guidance_form(pair, formdata=True):
    form = GuidanceForm() if formdata else GuidanceForm(formdata=None)
    choices = {guidance.ANY: gettext("Any available supervisor")}
    choices.update({u.username: u.name for u in guidance.supervisors(pair)})
    form.supervisor.choices = choices if len(choices) > 1 else {}
    return form


def _ask_page(pair, form, status):
    threads = guidance.requests_of(pair)  # the visibility rule leaves only the actor's own
    return render_template(
        "pair_spaces/guidance_ask.html",
        pair=pair,
        form=form,
        threads=[(t, guidance.messages(t)) for t in threads],
        label=guidance.author_label,
    ), status


@bp.route("/<id:pair_id>/guidance", methods=["GET", "POST"])
@space_view()
def ask_guidance(pair):
    form = _guidance_form(pair)
    done, request = submit_form(
        form,
        lambda: guidance.ask(
            pair, actor(), form.supervisor.data, form.body.data, signed=form.signed.data
        ),
        "body",
    )
    if not done or request is None:
        return _ask_page(pair, form, 422 if form.is_submitted() else 200)
    db.session.commit()
    return back_to("pair_spaces.ask_guidance", pair_id=pair.id, _anchor=f"guidance-{request.id}")


@bp.route("/guidance")
@require("pair_spaces.join")
def guidance_inbox():
    """Threads the actor is part of, as requester or as supervisor."""
    return render_template(
        "pair_spaces/guidance_inbox.html",
        threads=guidance.threads_for(actor()),
        who=guidance.requester_label,
    )


def _thread(request_id) -> GuidanceRequest:
    thread = db.session.get(GuidanceRequest, request_id)  # requester and supervisor only
    if thread is None:
        abort(404)
    return thread


@bp.route("/guidance/<id:request_id>", methods=["GET", "POST"])
@require("pair_spaces.join")
def guidance_thread(request_id):
    thread = _thread(request_id)
    form = ReplyForm()
    if submit_form(form, lambda: guidance.reply(thread, actor(), form.body.data), "body")[0]:
        db.session.commit()
        return back_to("pair_spaces.guidance_thread", request_id=thread.id)
    return render_template(
        "pair_spaces/guidance_thread.html",
        thread=thread,
        form=form,
        action=ActionForm(),
        messages=guidance.messages(thread),
        label=guidance.author_label,
        who=guidance.requester_label,
    ), 422 if form.is_submitted() else 200


@bp.route("/guidance/<id:request_id>/close", methods=["POST"])
@require("pair_spaces.join")
def close_guidance(request_id):
    thread = _thread(request_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    guidance.close(thread, actor())
    db.session.commit()
    return back_to("pair_spaces.guidance_thread", request_id=thread.id)
