"""Supervisor guidance: asked from inside the space, answered in a thread outside it."""

from __future__ import annotations

from flask import abort, render_template

from forum.sdk import db, require, submit_form
from forum_pair_spaces.forms import GuidanceForm, ReplyForm
from forum_pair_spaces.models import GuidanceRequest
from forum_pair_spaces.services import guidance
from forum_pair_spaces.views import bp
from forum_pair_spaces.views.helpers import actor, back_to, space_view


def _guidance_form(pair, formdata=True):
    form = GuidanceForm() if formdata else GuidanceForm(formdata=None)
    form.supervisor.choices = {u.username: u.name for u in guidance.supervisors(pair)}
    return form


@bp.route("/<id:pair_id>/guidance", methods=["GET", "POST"])
@space_view()
def ask_guidance(pair):
    form = _guidance_form(pair)
    done, request = submit_form(
        form, lambda: guidance.ask(pair, actor(), form.supervisor.data, form.body.data), "body"
    )
    if done and request is not None:
        db.session.commit()
        return back_to("pair_spaces.guidance_thread", request_id=request.id)
    return render_template(
        "pair_spaces/guidance_ask.html", pair=pair, form=form, threads=guidance.requests_of(pair)
    ), 422 if form.is_submitted() else 200


@bp.route("/guidance")
@require("pair_spaces.join")
def guidance_inbox():
    """Threads the actor is part of, as requester or as supervisor."""
    return render_template("pair_spaces/guidance_inbox.html", threads=guidance.threads_for(actor()))


@bp.route("/guidance/<id:request_id>", methods=["GET", "POST"])
@require("pair_spaces.join")
def guidance_thread(request_id):
    thread = db.session.get(GuidanceRequest, request_id)  # visible to requester and supervisor only
    if thread is None:
        abort(404)
    form = ReplyForm()
    if submit_form(form, lambda: guidance.reply(thread, actor(), form.body.data), "body")[0]:
        db.session.commit()
        return back_to("pair_spaces.guidance_thread", request_id=thread.id)
    return render_template(
        "pair_spaces/guidance_thread.html",
        thread=thread,
        form=form,
        messages=guidance.messages(thread),
    ), 422 if form.is_submitted() else 200
