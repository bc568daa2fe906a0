"""Q&A pages, mounted at ``/p/qa``: questions per characteristic, answers, votes, the interview editor."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.sdk import (
    N_,
    Characteristic,
    ValidationError,
    can,
    create_comment,
    current_actor,
    db,
    page_arg,
    require,
    submit_form,
    thread_url,
)
from forum_qa import services
from forum_qa.feeds import FEED_SIZE, atom, public_questions
from forum_qa.forms import (
    ActionForm,
    AnswerForm,
    AskForm,
    DeleteForm,
    InterviewCommentForm,
    ReasonForm,
)
from forum_qa.interview import html_for_preview, parse_pasted, validate
from forum_qa.models import Answer, QAStatus, Question

bp = Blueprint(
    "qa", __name__, static_folder=str(Path(__file__).parent / "static"), static_url_path="/static"
)


def _characteristic(slug: str) -> Characteristic:
    found = db.session.execute(
        select(Characteristic).where(Characteristic.slug == slug)
    ).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def _question(question_id: int) -> Question:
    """The question if the current actor may see it (the visibility policy decides), else 404."""
    found = db.session.execute(
        select(Question).where(Question.id == question_id).options(selectinload(Question.author))
    ).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def _answer(answer_id: int) -> Answer:
    found = db.session.execute(select(Answer).where(Answer.id == answer_id)).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    value = request.args.get(name, allowed[0])
    if value not in allowed:
        abort(400, description=f"'{name}' must be one of: {', '.join(allowed)}.")
    return value


def _refuse_forged(form) -> None:
    """A missing or stale CSRF token is a 400 (nothing to correct on the page); any other
    problem is shown beside its field by the page itself."""
    if "csrf_token" in form.errors:
        abort(
            400,
            description=gettext(
                "The form was out of date or forged. Reload the page and try again."
            ),
        )


# --- questions -------------------------------------------------------------------------------


def _questions_page(characteristic, form=None, status: int = 200):
    sort = _choice("sort", services.QUESTION_SORTS)
    listing = services.list_questions(lambda last: page_arg(last=last), characteristic.id, sort)
    return render_template(
        "qa/questions.html",
        characteristic=characteristic,
        listing=listing,
        sort=sort,
        form=form or (AskForm() if can("question.create") else None),
        thread_url=thread_url(characteristic),
    ), status


@bp.route("/c/<slug>/questions")
def questions(slug):
    return _questions_page(_characteristic(slug))


@bp.route("/c/<slug>/questions", methods=["POST"])
@require("question.create")
def ask(slug):
    characteristic = _characteristic(slug)
    form = AskForm()
    done, question = submit_form(
        form,
        lambda: services.ask(characteristic, current_actor(), form.title.data, form.body.data),
        "body",
    )
    if not done or question is None:
        _refuse_forged(form)
        return _questions_page(characteristic, form, 422)
    db.session.commit()
    if question.status == QAStatus.PENDING:
        flash(
            gettext("Thank you. Your question will appear once a moderator has approved it."),
            "success",
        )
    else:
        flash(gettext("Your question is published."), "success")
    return redirect(url_for("qa.question", question_id=question.id))


@bp.route("/unanswered")
def unanswered():
    listing = services.list_questions(lambda last: page_arg(last=last), unanswered=True)
    ids = {row[0].characteristic_id for row in listing.items}
    characteristics = (
        {
            c.id: c
            for c in db.session.execute(
                select(Characteristic).where(Characteristic.id.in_(ids))
            ).scalars()
        }
        if ids
        else {}
    )
    return render_template("qa/unanswered.html", listing=listing, characteristics=characteristics)


@bp.route("/q/<id:question_id>")
def question(question_id):
    return _question_page(_question(question_id))


def _question_page(item, answer_form=None, status: int = 200):
    characteristic = db.session.get(Characteristic, item.characteristic_id)
    sort = _choice("sort", services.ANSWER_SORTS)
    answers = services.answers_for(item, sort)
    actor = current_actor()
    return render_template(
        "qa/question.html",
        question=item,
        characteristic=characteristic,
        answers=answers,
        sort=sort,
        thread_url=thread_url(characteristic),
        my_votes=services.votes_of(actor, [a.id for a in answers]),
        answer_form=answer_form
        or (AnswerForm() if can("answer.create") and item.status == QAStatus.APPROVED else None),
        action_form=ActionForm(),
        can_accept=actor.id == item.author_id or services.is_moderator(actor),
        is_moderator=services.is_moderator(actor),
        may_edit=lambda obj: services.can_edit(obj, actor),
        may_delete=lambda obj: services.can_delete(obj, actor),
    ), status


@bp.route("/q/<id:question_id>/answers", methods=["POST"])
@require("answer.create")
def post_answer(question_id):
    item = _question(question_id)
    form = AnswerForm()
    done, new = submit_form(form, lambda: services.answer(item, current_actor(), form.body.data))
    if not done or new is None:
        _refuse_forged(form)
        return _question_page(item, form, 422)
    db.session.commit()
    if new.status == QAStatus.PENDING:
        flash(
            gettext("Thank you. Your answer will appear once a moderator has approved it."),
            "success",
        )
    return redirect(url_for("qa.question", question_id=item.id, _anchor=f"answer-{new.id}"))


@bp.route("/a/<id:answer_id>/vote", methods=["POST"])
@require("answer.vote")
def vote(answer_id):
    item = _answer(answer_id)
    if not ActionForm().validate_on_submit():
        abort(
            400,
            description=gettext(
                "The form was out of date or forged. Reload the page and try again."
            ),
        )
    values = {"up": 1, "down": -1, "clear": 0}
    if request.form.get("value") not in values:
        abort(400, description=gettext("A vote is up, down or clear."))
    services.vote(item, current_actor(), values[request.form["value"]])
    db.session.commit()
    return redirect(
        url_for("qa.question", question_id=item.question_id, _anchor=f"answer-{item.id}")
    )


@bp.route("/a/<id:answer_id>/accept", methods=["POST"])
def accept(answer_id):
    actor = current_actor()
    if not actor.is_authenticated:
        abort(401)
    item = _answer(answer_id)
    if not ActionForm().validate_on_submit():
        abort(
            400,
            description=gettext(
                "The form was out of date or forged. Reload the page and try again."
            ),
        )
    services.accept(item, actor, accepted=request.form.get("accepted", "1") != "0")
    db.session.commit()
    return redirect(
        url_for("qa.question", question_id=item.question_id, _anchor=f"answer-{item.id}")
    )


# --- the author's own edits and deletions ----------------------------------------------------


def _owned(kind: str, obj_id: int):
    """The question or answer if the current actor may see it (else 404); ``kind`` from the URL."""
    if kind == "q":
        return _question(obj_id)
    if kind == "a":
        return _answer(obj_id)
    abort(404)


def _back_to(obj) -> str:
    if isinstance(obj, Question):
        return url_for("qa.question", question_id=obj.id)
    return url_for("qa.question", question_id=obj.question_id, _anchor=f"answer-{obj.id}")


@bp.route("/<kind>/<id:obj_id>/edit", methods=["GET", "POST"])
def edit(kind, obj_id):
    obj, actor = _owned(kind, obj_id), current_actor()
    if not actor.is_authenticated:
        abort(401)
    if not services.can_edit(obj, actor):
        abort(
            403,
            description=gettext(
                "You can edit your own questions and answers only for a short while after posting."
            ),
        )
    form_class = AskForm if isinstance(obj, Question) else AnswerForm
    form = form_class(
        data={"title": getattr(obj, "title", None), "body": obj.body_source}
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        try:
            services.edit(
                obj, actor, form.body.data, getattr(getattr(form, "title", None), "data", None)
            )
        except ValidationError as error:
            db.session.rollback()
            error.show_on(form, fallback="body")
        else:
            db.session.commit()
            flash(
                "Your edit waits for a moderator's approval."
                if obj.status == QAStatus.PENDING
                else "Saved.",
                "success",
            )
            return redirect(_back_to(obj))
    elif "csrf_token" in form.errors:
        abort(
            400,
            description=gettext(
                "The form was out of date or forged. Reload the page and try again."
            ),
        )
    return render_template(
        "qa/edit.html",
        obj=obj,
        form=form,
        is_question=isinstance(obj, Question),
        back=_back_to(obj),
    ), 422 if form.errors else 200


@bp.route("/<kind>/<id:obj_id>/delete", methods=["GET", "POST"])
def delete(kind, obj_id):
    """A page that asks first; the POST deletes only with its box ticked."""
    obj, actor = _owned(kind, obj_id), current_actor()
    if not actor.is_authenticated:
        abort(401)
    if not services.can_delete(obj, actor):
        abort(403, description=gettext("You can delete only your own questions and answers."))
    own = obj.author_id == actor.id
    form = DeleteForm()
    if own:
        del form.reason  # only a moderator's deletion is audited with a reason
    if form.validate_on_submit():
        back = _after_delete(obj)
        services.delete(obj, actor, "" if own else form.reason.data or "")
        db.session.commit()
        flash(gettext("Deleted."), "success")
        return redirect(back)
    _refuse_forged(form)
    return render_template(
        "qa/delete.html", obj=obj, form=form, own=own, is_question=isinstance(obj, Question)
    ), 422 if form.errors else 200


def _after_delete(obj) -> str:
    if isinstance(obj, Question):
        characteristic = db.session.get(Characteristic, obj.characteristic_id)
        if characteristic is not None:
            return url_for("qa.questions", slug=characteristic.slug)
        return url_for("qa.unanswered")
    return url_for("qa.question", question_id=obj.question_id)


# --- moderation ------------------------------------------------------------------------------


def _moderation_page(refused=None, status: int = 200):
    """The Q&A review page; ``refused`` = (kind, id, form) for a decision shown again."""
    return render_template(
        "qa/moderation.html",
        questions=services.pending("question"),
        answers=services.pending("answer"),
        form=ReasonForm(),
        refused=refused,
    ), status


@bp.route("/moderation")
@require("qa.moderate")
def moderation():
    return _moderation_page()


#: The moderators' actions, and the message after each, by kind (whole sentences: translatable).
DONE = {
    "approve": {"question": N_("Question approved."), "answer": N_("Answer approved.")},
    "reject": {"question": N_("Question rejected."), "answer": N_("Answer rejected.")},
    "hide": {"question": N_("Question hidden."), "answer": N_("Answer hidden.")},
    "unhide": {"question": N_("Question shown again."), "answer": N_("Answer shown again.")},
}


@bp.route("/moderation/<kind>/<id:obj_id>/<action>", methods=["POST"])
@require("qa.moderate")
def moderate(kind, obj_id, action):
    model = services.KINDS.get(kind)
    if model is None or action not in DONE:
        abort(404)
    obj = db.session.get(model, obj_id)
    if obj is None:
        abort(404)
    form = ReasonForm()
    actor = current_actor()
    done, changed = submit_form(
        form, lambda: _moderation_action(obj, actor, action, form), "reason"
    )
    if not done:
        _refuse_forged(form)
        return _moderation_page((kind, obj.id, form), 422)
    db.session.commit()
    flash(gettext(DONE[action][kind]) if changed else gettext("Nothing to change."), "success")
    if request.form.get("next_page") == "question":
        question_id = obj.id if kind == "question" else obj.question_id
        return redirect(url_for("qa.question", question_id=question_id))
    return redirect(url_for("qa.moderation"))


def _moderation_action(obj, actor, action: str, form) -> bool:
    reason = form.reason.data or ""
    if action in ("approve", "reject"):
        return services.decide(obj, actor, action == "approve", reason)
    return services.set_hidden(obj, actor, action == "hide", reason)


# --- interviews ------------------------------------------------------------------------------


@bp.route("/interview/new", methods=["GET", "POST"])
@require("comment.create")
def new_interview():
    """The standalone interview editor: works without JavaScript (every button posts back)."""

    characteristic = _characteristic(request.args.get("characteristic", ""))
    form = InterviewCommentForm()
    fields = form.interview.form
    fields.refresh_choices()
    preview = notes = None
    if request.method == "POST" and not form.validate_on_submit():
        _refuse_forged(form)
    elif request.method == "POST":
        if form.add_turn.data:
            fields.add_turn()
        elif form.import_paste.data:
            imported, notes = parse_pasted(form.paste.data or "", _typed_speakers(fields))
            fields.load(imported)
            if not notes:  # something left out: the paste stays, to correct and import again
                form.paste.data = ""
            preview = html_for_preview(imported)
        elif form.post.data:
            done, comment = submit_form(
                form, lambda: _create_comment(characteristic, validate(fields.to_interview()))
            )
            if not done or comment is None:
                return _interview_page(form, preview, notes, characteristic, 422)
            db.session.commit()
            if comment.status == "pending":
                flash(
                    gettext(
                        "Thank you. Your interview will appear once a moderator has approved it."
                    ),
                    "success",
                )
            return redirect(thread_url(characteristic))
        else:
            preview = html_for_preview(fields.to_interview())
    return _interview_page(form, preview, notes, characteristic, 422 if form.errors else 200)


def _typed_speakers(fields) -> list[str]:
    """The names already in the form, interviewer first (none if the interviewer is blank)."""
    names = fields.speaker_names()
    return names if names and names[0] else []


def _interview_page(form, preview, notes, characteristic, status: int):
    return render_template(
        "qa/interview_new.html",
        form=form,
        fields=form.interview.form,
        preview=preview,
        notes=notes,
        characteristic=characteristic,
        thread_url=thread_url(characteristic),
    ), status


def _create_comment(characteristic, interview):
    return create_comment(characteristic, current_actor(), interview.to_source(), "interview")


# --- feeds -----------------------------------------------------------------------------------


def _atom_response(title: str, questions: list):
    return Response(atom(title, questions), mimetype="application/atom+xml")


@bp.route("/questions.atom")
def feed():
    return _atom_response("Questions · Mentorship Forum", public_questions(limit=FEED_SIZE))


@bp.route("/c/<slug>/questions.atom")
def characteristic_feed(slug):
    characteristic = _characteristic(slug)
    return _atom_response(
        f"Questions on {characteristic.title}", public_questions(characteristic.id, limit=FEED_SIZE)
    )
