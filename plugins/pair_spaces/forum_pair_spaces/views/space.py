"""The space: conversation and role play, agreement, notes, goals, meetings, journal, quotes."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import abort, flash, render_template
from flask_babel import gettext
from sqlalchemy import select

from forum.sdk import db, submit_form
from forum_pair_spaces.forms import (
    GOAL_CHOICES,
    ActionForm,
    DecideForm,
    GoalForm,
    GoalStatusForm,
    JournalForm,
    MeetingForm,
    MessageForm,
    NoteForm,
    QuoteForm,
    agreement_form,
)
from forum_pair_spaces.models import AgreementVersion, Goal, Note, QuoteRequest, SpaceEvent
from forum_pair_spaces.services import agreement, quotes, space
from forum_pair_spaces.views import bp
from forum_pair_spaces.views.helpers import (
    actor,
    back_to,
    invalid,
    lookup,
    space_view,
)


def _events(pair):
    return (
        db.session.execute(
            select(SpaceEvent)
            .where(SpaceEvent.pair_id == pair.id)
            .order_by(SpaceEvent.id.desc())
            .limit(30)
        )
        .scalars()
        .all()
    )


def _space_context(pair, form=None):
    return {
        "pair": pair,
        "form": form or MessageForm(),
        "action": ActionForm(),
        "messages": space.messages(pair),
        "roleplays": space.roleplays(pair),
        "active_roleplay": space.active_roleplay(pair),
        "events": _events(pair),
    }


@bp.route("/<id:pair_id>", endpoint="space")
@space_view()
def space_home(pair):
    return render_template("pair_spaces/space.html", **_space_context(pair))


@bp.route("/<id:pair_id>/messages", methods=["POST"])
@space_view()
def post_message(pair):
    form = MessageForm()
    if not submit_form(form, lambda: space.post_message(pair, actor(), form.body.data), "body")[0]:
        return invalid("pair_spaces/space.html", **_space_context(pair, form))
    db.session.commit()
    return back_to("pair_spaces.space", pair_id=pair.id)


def _own_message(pair, message_id):
    try:
        return space.own_message(pair, actor(), message_id)
    except LookupError:
        abort(404)
    except PermissionError:
        abort(403)


@bp.route("/<id:pair_id>/messages/<id:message_id>/edit", methods=["GET", "POST"])
@space_view()
def edit_message(pair, message_id):
    message = _own_message(pair, message_id)
    form = MessageForm(data={"body": message.body_source})
    if submit_form(form, lambda: space.edit_message(message, pair, form.body.data), "body")[0]:
        db.session.commit()
        return back_to("pair_spaces.space", pair_id=pair.id)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "pair_spaces/message_edit.html", pair=pair, form=form, message=message
    ), status


@bp.route("/<id:pair_id>/messages/<id:message_id>/delete", methods=["POST"])
@space_view()
def delete_message(pair, message_id):
    message = _own_message(pair, message_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    space.delete_message(message)
    db.session.commit()
    return back_to("pair_spaces.space", pair_id=pair.id)


@bp.route("/<id:pair_id>/roleplay/<any(start, end):what>", methods=["POST"])
@space_view()
def roleplay(pair, what):
    if not ActionForm().validate_on_submit():
        abort(400)
    (space.start_roleplay if what == "start" else space.end_roleplay)(pair, actor())
    db.session.commit()
    return back_to("pair_spaces.space", pair_id=pair.id)


# --- agreement ------------------------------------------------------------------------------


def _agreement_context(pair, form=None):
    current, waiting = agreement.in_force(pair), agreement.pending(pair)
    base = waiting or current
    data = agreement.sections_of(base) if base else agreement.template()
    return {
        "pair": pair,
        "current": current,
        "pending": waiting,
        "versions": agreement.versions(pair),
        "sections": agreement.SECTIONS,
        "sections_of": agreement.sections_of,
        "action": ActionForm(),
        "form": form or agreement_form(agreement.SECTIONS, data),
    }


@bp.route("/<id:pair_id>/agreement", endpoint="agreement")
@space_view(open_required=False)
def agreement_page(pair):
    return render_template("pair_spaces/agreement.html", **_agreement_context(pair))


@bp.route("/<id:pair_id>/agreement/propose", methods=["POST"])
@space_view(open_required=False)
def propose_agreement(pair):
    form = agreement_form(agreement.SECTIONS)
    sections = {k: getattr(form, k).data for k in agreement.SECTION_KEYS}
    if not submit_form(form, lambda: agreement.propose(pair, actor(), sections))[0]:
        return invalid("pair_spaces/agreement.html", **_agreement_context(pair, form))
    db.session.commit()
    flash(gettext("Change proposed. It comes into force when both of you accept it."), "info")
    return back_to("pair_spaces.agreement", pair_id=pair.id)


@bp.route("/<id:pair_id>/agreement/<id:version_id>/accept", methods=["POST"])
@space_view(open_required=False)
def accept_agreement(pair, version_id):
    version = lookup(db.session.get(AgreementVersion, version_id), pair)
    if not ActionForm().validate_on_submit():
        abort(400)
    agreement.accept(pair, actor(), version)
    db.session.commit()
    return back_to("pair_spaces.agreement", pair_id=pair.id)


# --- notes, goals, meetings, journal --------------------------------------------------------


@bp.route("/<id:pair_id>/notes", methods=["GET", "POST"])
@space_view()
def notes(pair):
    form = NoteForm()
    if submit_form(form, lambda: space.save_note(pair, actor(), form.title.data, form.body.data))[
        0
    ]:
        db.session.commit()
        return back_to("pair_spaces.notes", pair_id=pair.id)
    return render_template(
        "pair_spaces/notes.html", pair=pair, form=form, notes=space.notes(pair)
    ), 422 if form.is_submitted() else 200


@bp.route("/<id:pair_id>/notes/<id:note_id>/edit", methods=["GET", "POST"])
@space_view()
def edit_note(pair, note_id):
    note = lookup(db.session.get(Note, note_id), pair)
    form = NoteForm(data={"title": note.title, "body": note.body_source})
    if submit_form(
        form, lambda: space.save_note(pair, actor(), form.title.data, form.body.data, note=note)
    )[0]:
        db.session.commit()
        return back_to("pair_spaces.notes", pair_id=pair.id)
    return render_template(
        "pair_spaces/note_edit.html", pair=pair, form=form, note=note
    ), 422 if form.is_submitted() else 200


@bp.route("/<id:pair_id>/goals", methods=["GET", "POST"])
@space_view()
def goals(pair):
    form = GoalForm()
    if submit_form(form, lambda: space.add_goal(pair, actor(), form.title.data), "title")[0]:
        db.session.commit()
        return back_to("pair_spaces.goals", pair_id=pair.id)
    return render_template(
        "pair_spaces/goals.html",
        pair=pair,
        form=form,
        goals=space.goals(pair),
        statuses=GOAL_CHOICES,
    ), 422 if form.is_submitted() else 200


@bp.route("/<id:pair_id>/goals/<id:goal_id>/status", methods=["POST"])
@space_view()
def goal_status(pair, goal_id):
    goal = lookup(db.session.get(Goal, goal_id), pair)
    form = GoalStatusForm()
    if not form.validate_on_submit():
        abort(400, description=gettext("Choose a known status."))
    space.set_goal_status(pair, actor(), goal, form.status.data)
    db.session.commit()
    return back_to("pair_spaces.goals", pair_id=pair.id)


def _noon(day):
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


@bp.route("/<id:pair_id>/meetings", methods=["GET", "POST"])
@space_view()
def meetings(pair):
    form = MeetingForm()
    if submit_form(
        form, lambda: space.log_meeting(pair, actor(), _noon(form.held_on.data), form.summary.data)
    )[0]:
        db.session.commit()
        return back_to("pair_spaces.meetings", pair_id=pair.id)
    return render_template(
        "pair_spaces/meetings.html", pair=pair, form=form, meetings=space.meetings(pair)
    ), 422 if form.is_submitted() else 200


@bp.route("/<id:pair_id>/journal", methods=["GET", "POST"])
@space_view()
def journal(pair):
    form = JournalForm()
    if submit_form(form, lambda: space.write_journal(pair, actor(), form.body.data), "body")[0]:
        db.session.commit()
        return back_to("pair_spaces.journal", pair_id=pair.id)
    return render_template(
        "pair_spaces/journal.html", pair=pair, form=form, entries=space.journal(pair)
    ), 422 if form.is_submitted() else 200


# --- quoting out of the space ---------------------------------------------------------------


@bp.route("/<id:pair_id>/quotes", methods=["GET", "POST"], endpoint="quotes")
@space_view()
def quotes_page(pair):
    form = QuoteForm()
    if submit_form(form, lambda: quotes.ask(pair, actor(), form.text.data, form.purpose.data))[0]:
        db.session.commit()
        return back_to("pair_spaces.quotes", pair_id=pair.id)
    return render_template(
        "pair_spaces/quotes.html",
        pair=pair,
        form=form,
        decide=DecideForm,
        quotes=quotes.quotes(pair),
    ), 422 if form.is_submitted() else 200


@bp.route("/<id:pair_id>/quotes/<id:quote_id>/decide", methods=["POST"])
@space_view()
def decide_quote(pair, quote_id):
    quote = lookup(db.session.get(QuoteRequest, quote_id), pair)
    form = DecideForm()
    if not form.validate_on_submit() or form.decision.data not in ("approve", "refuse"):
        abort(400, description=gettext("Approve or refuse."))
    quotes.decide(pair, quote, actor(), form.decision.data == "approve")
    db.session.commit()
    return back_to("pair_spaces.quotes", pair_id=pair.id)
