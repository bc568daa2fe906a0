"""The Q&A logic the views, CLI and tests call: ask, answer, vote, accept, moderate, list.

Every read goes through the ORM, so the forum's visibility policy decides what each actor sees
(``question``/``answer`` content types, see ``forum_qa.visibility_filter``). Callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context, url_for
from flask_babel import format_number, gettext
from sqlalchemy import and_, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from forum.sdk import (
    Characteristic,
    User,
    ValidationError,
    audit_record,
    can,
    db,
    edit_window,
    emit,
    hook,
    in_language_of,
    is_trusted,
    notify,
    on_comment_decided,
    render_markdown,
    utcnow,
    visible,
)
from forum_qa.models import Answer, AnswerVote, QAStatus, Question

PER_PAGE = 20
MAX_TITLE = 200
MAX_BODY = 20_000
ANSWER_SORTS = ("votes", "newest")
QUESTION_SORTS = ("newest", "answers")


def is_moderator(actor) -> bool:
    return can("qa.moderate", actor=actor)


def question_path(question_id: int, anchor: str = "") -> str:
    """The question's page (usable outside a request, e.g. in notifications from the CLI)."""
    path = (
        url_for("qa.question", question_id=question_id)
        if has_request_context()
        else f"/p/qa/q/{question_id}"
    )
    return path + (f"#{anchor}" if anchor else "")


def _require(action: str, actor) -> None:
    if not can(action, actor=actor):
        raise Forbidden(description=gettext("You may not do that."))


def _clean_body(text: str, field: str, required: bool) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError(gettext("Please write something."), field=field)
    if len(text) > MAX_BODY:
        raise ValidationError(
            gettext("At most %(num)s characters.", num=format_number(MAX_BODY)), field=field
        )
    return text


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < 5:
        raise ValidationError(
            gettext("Give the question a title of at least 5 characters."), field="title"
        )
    if len(title) > MAX_TITLE:
        raise ValidationError(
            gettext("Titles have at most %(num)s characters.", num=MAX_TITLE), field="title"
        )
    return title


def _initial_status(actor) -> str:
    return QAStatus.APPROVED if is_trusted(actor) else QAStatus.PENDING


def _announce_new(content, actor) -> None:
    emit("content_created", content=content, actor=actor)
    if content.status == QAStatus.PENDING:
        emit("content_submitted", content=content, actor=actor)
    else:
        emit("content_published", content=content)


# --- asking and answering --------------------------------------------------------------------


def ask(characteristic: Characteristic, actor, title: str, body: str) -> Question:
    """A new question; trusted members' are public at once, others' wait for a moderator."""
    _require("question.create", actor)
    if characteristic.locked:
        raise Forbidden(description=gettext("This thread is locked."))
    title = _clean_title(title)
    body = _clean_body(body, "body", required=False)
    question = Question(
        characteristic_id=characteristic.id,
        author_id=actor.id,
        title=title,
        body_source=body,
        body_html=render_markdown(body, "comment") if body else "",
        status=_initial_status(actor),
    )
    hook.before_content_saved(content=question, actor=actor, action="created")
    db.session.add(question)
    db.session.flush()
    _announce_new(question, actor)
    return question


def answer(question: Question, actor, body: str) -> Answer:
    """A new answer to a public question; the asker hears of it once it is public."""
    _require("answer.create", actor)
    if question.status != QAStatus.APPROVED or question.hidden_at or question.deleted_at:
        raise Forbidden(description=gettext("This question is not open for answers."))
    body = _clean_body(body, "body", required=True)
    item = Answer(
        question_id=question.id,
        author_id=actor.id,
        body_source=body,
        body_html=render_markdown(body, "comment"),
        status=_initial_status(actor),
    )
    hook.before_content_saved(content=item, actor=actor, action="created")
    db.session.add(item)
    db.session.flush()
    _announce_new(item, actor)
    if item.status == QAStatus.APPROVED:
        _notify_asker(question, item)
    return item


def _notify_asker(question: Question, item: Answer) -> None:
    if question.author_id != item.author_id:
        with in_language_of(question.author_id):
            notify(
                question.author_id,
                "qa.answer",
                gettext("New answer to your question"),
                question_path(question.id, f"answer-{item.id}"),
            )


# --- the author's own edits and deletions ----------------------------------------------------


def can_edit(obj, actor) -> bool:
    """The author, within the edit window comments have (``COMMENT_EDIT_WINDOW_MINUTES``), while
    the question or answer is neither hidden nor deleted."""
    return (
        getattr(actor, "is_authenticated", False)
        and obj.author_id == actor.id
        and obj.hidden_at is None
        and obj.deleted_at is None
        and utcnow() - obj.created_at <= edit_window()
    )


def edit(obj, actor, body: str, title: str | None = None):
    """Change one's own question (title and details) or answer, as a comment is edited: an
    untrusted member's edit of published content goes back to review."""
    if not can_edit(obj, actor):
        raise Forbidden(
            description=gettext(
                "You can edit your own questions and answers only for a short while after posting."
            )
        )
    if isinstance(obj, Question):
        obj.title = _clean_title(title)
    obj.body_source = _clean_body(body, "body", required=isinstance(obj, Answer))
    hook.before_content_saved(content=obj, actor=actor, action="edited")
    obj.body_html = render_markdown(obj.body_source, "comment") if obj.body_source else ""
    obj.edited_at = utcnow()
    if obj.status == QAStatus.APPROVED and not is_trusted(actor):
        obj.status = QAStatus.PENDING
        emit("content_submitted", content=obj, actor=actor)
    return obj


def can_delete(obj, actor) -> bool:
    return getattr(actor, "is_authenticated", False) and (
        obj.author_id == actor.id or is_moderator(actor)
    )


def delete(obj, actor, reason: str = "") -> bool:
    """Soft-delete: the author their own at any time, a moderator anyone's (audited). False if
    it was deleted already. A deleted question takes its answers off the public pages with it."""
    if not can_delete(obj, actor):
        raise Forbidden(description=gettext("You can only delete your own questions and answers."))
    if obj.deleted_at is not None:
        return False
    obj.deleted_at = utcnow()
    if obj.author_id != actor.id:
        kind = "question" if isinstance(obj, Question) else "answer"
        audit_record(
            f"qa.{kind}.delete",
            actor,
            kind,
            obj.id,
            reason=reason or "",
            before={"deleted": False},
            after={"deleted": True},
        )
    emit("content_deleted", content=obj, actor=actor)
    return True


# --- votes and acceptance --------------------------------------------------------------------


def _is_public(obj) -> bool:
    return obj.status == QAStatus.APPROVED and obj.hidden_at is None and obj.deleted_at is None


def vote(item: Answer, actor, value: int) -> int:
    """Set ``actor``'s vote on ``item`` to +1, -1 or 0 (withdraw); returns the new score.

    One vote per member (the primary key enforces it), never on one's own answer; voting the
    same way twice changes nothing, voting the other way changes the vote.
    """
    _require("answer.vote", actor)
    if value not in (-1, 0, 1):
        raise ValidationError(gettext("A vote is up, down or withdrawn."), field="value")
    if item.author_id == actor.id:
        raise Forbidden(description=gettext("You cannot vote on your own answer."))
    if not _is_public(item):
        raise Forbidden(description=gettext("This answer is not open for votes."))
    current = db.session.get(AnswerVote, (item.id, actor.id))
    if value == 0:
        if current is not None:
            db.session.delete(current)
    elif current is None:
        db.session.add(AnswerVote(answer_id=item.id, user_id=actor.id, value=value))
    else:
        current.value = value
    try:
        db.session.flush()
    except IntegrityError as error:  # a concurrent first vote by the same member
        db.session.rollback()
        raise Conflict(
            description=gettext("Your vote was already counted; reload the page.")
        ) from error
    item.score = db.session.execute(
        select(func.coalesce(func.sum(AnswerVote.value), 0)).where(AnswerVote.answer_id == item.id)
    ).scalar_one()
    return item.score


def votes_of(actor, answer_ids) -> dict[int, int]:
    """``{answer_id: value}`` of ``actor``'s votes among ``answer_ids``."""
    if getattr(actor, "id", None) is None or not answer_ids:
        return {}
    rows = db.session.execute(
        select(AnswerVote.answer_id, AnswerVote.value).where(
            AnswerVote.user_id == actor.id, AnswerVote.answer_id.in_(list(answer_ids))
        )
    )
    return dict(rows.all())


def accept(item: Answer, actor, accepted: bool = True) -> None:
    """Mark ``item`` as the accepted answer (or withdraw it): the asker or a moderator only."""
    question = db.session.get(Question, item.question_id)
    if question is None:
        raise NotFound()
    moderator = is_moderator(actor)
    if actor.id != question.author_id and not moderator:
        raise Forbidden(description=gettext("Only the asker or a moderator can accept an answer."))
    if not _is_public(item):
        raise Forbidden(description=gettext("Only a published answer can be accepted."))
    before = item.accepted_at is not None
    if accepted:
        others = db.session.execute(
            select(Answer).where(
                Answer.question_id == question.id,
                Answer.accepted_at.is_not(None),
                Answer.id != item.id,
            )
        ).scalars()
        for other in others:
            other.accepted_at = None
        item.accepted_at = item.accepted_at or utcnow()
    else:
        item.accepted_at = None
    if moderator and actor.id != question.author_id and before != accepted:
        audit_record(
            "qa.answer." + ("accept" if accepted else "unaccept"),
            actor,
            "answer",
            item.id,
            before={"accepted": before},
            after={"accepted": accepted},
        )


# --- moderation ------------------------------------------------------------------------------

KINDS = {"question": Question, "answer": Answer}


def decide(obj, actor, approve: bool, reason: str = "") -> bool:
    """Approve or reject pending Q&A content; audited once. Returns False if nothing changed."""
    _require("qa.moderate", actor)
    target = QAStatus.APPROVED if approve else QAStatus.REJECTED
    if obj.status == target:
        return False
    if not approve and not (reason or "").strip():
        raise ValidationError(gettext("Give a reason for the rejection."), field="reason")
    kind = "question" if isinstance(obj, Question) else "answer"
    before = obj.status
    obj.status = target
    obj.rejection_reason = None if approve else reason.strip()[:2000]
    audit_record(
        f"qa.{kind}.{'approve' if approve else 'reject'}",
        actor,
        kind,
        obj.id,
        reason=reason or "",
        before={"status": before},
        after={"status": target},
    )
    on_comment_decided(
        db.session.get(User, obj.author_id), approve
    )  # trust counts it, as a comment's
    if approve:
        emit("content_approved", content=obj, actor=actor)
        if _is_public(obj):
            emit("content_published", content=obj)
        if kind == "answer":
            question = db.session.get(Question, obj.question_id)
            if question is not None:
                _notify_asker(question, obj)
    else:
        emit("content_rejected", content=obj, actor=actor, reason=reason.strip())
    return True


def set_hidden(obj, actor, hidden: bool, reason: str = "") -> bool:
    """Hide or show Q&A content; audited once. Returns False if nothing changed."""
    _require("qa.moderate", actor)
    if (obj.hidden_at is not None) == hidden:
        return False
    kind = "question" if isinstance(obj, Question) else "answer"
    obj.hidden_at = utcnow() if hidden else None
    audit_record(
        f"qa.{kind}.{'hide' if hidden else 'unhide'}",
        actor,
        kind,
        obj.id,
        reason=reason or "",
        before={"hidden": not hidden},
        after={"hidden": hidden},
    )
    if hidden:
        emit("content_hidden", content=obj, actor=actor, reason=reason or "")
    elif _is_public(obj):
        emit("content_published", content=obj)
    return True


# --- listings --------------------------------------------------------------------------------


@dataclass
class Page:
    items: list
    page: int
    pages: int
    total: int


def _answered_clause():
    return exists().where(
        and_(
            Answer.question_id == Question.id,
            Answer.status == QAStatus.APPROVED,
            Answer.hidden_at.is_(None),
            Answer.deleted_at.is_(None),
        )
    )


def _counted(stmt, page_number_of) -> Page:
    total = db.session.execute(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    ).scalar_one()
    pages = max(1, -(-total // PER_PAGE))
    page = page_number_of(pages)
    rows = db.session.execute(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return Page(items=rows, page=page, pages=pages, total=total)


def list_questions(
    page_number_of,
    characteristic_id: int | None = None,
    sort: str = "newest",
    unanswered: bool = False,
) -> Page:
    """Questions the current actor may see, with their visible answer counts, a page at a time.

    ``page_number_of(pages)`` returns the requested page (``forum.routing.page_arg``), so bad
    page numbers are rejected with 400/404 before any rows are read.
    """
    shown = and_(Answer.question_id == Question.id, visible(Answer))  # the policy, in subqueries
    answers = select(func.count(Answer.id)).where(shown).correlate(Question).scalar_subquery()
    accepted = exists().where(shown, Answer.accepted_at.is_not(None))
    stmt = select(Question, answers.label("answers"), accepted.label("accepted")).options(
        selectinload(Question.author)
    )
    if characteristic_id is not None:
        stmt = stmt.where(Question.characteristic_id == characteristic_id)
    if unanswered:
        stmt = stmt.where(~_answered_clause())
    if sort == "answers":
        stmt = stmt.order_by(answers.desc(), Question.id.desc())
    else:
        stmt = stmt.order_by(Question.id.desc())
    return _counted(stmt, page_number_of)


def answers_for(question: Question, sort: str = "votes") -> list[Answer]:
    """Visible answers, accepted first, then by score or date."""
    order = [Answer.accepted_at.is_(None)]
    order += [Answer.score.desc(), Answer.id] if sort == "votes" else [Answer.id.desc()]
    return list(
        db.session.execute(
            select(Answer)
            .where(Answer.question_id == question.id)
            .options(selectinload(Answer.author))
            .order_by(*order)
        ).scalars()
    )


def waiting_count() -> int:
    """Questions and answers waiting for a moderator, in one SELECT (the caller checks ``qa.moderate``)."""
    waiting = [
        select(func.count()).where(*_waiting(model)).scalar_subquery() for model in KINDS.values()
    ]
    return int(db.session.execute(select(waiting[0] + waiting[1])).scalar_one())


def _waiting(model) -> tuple:
    """Pending, and not withdrawn by its author in the meantime."""
    return model.status == QAStatus.PENDING, model.deleted_at.is_(None)


def pending(kind: str) -> list:
    """Content waiting for a moderator, oldest first (the caller checks ``qa.moderate``)."""
    model = KINDS[kind]
    options = [selectinload(model.author)]
    if model is Answer:
        options.append(selectinload(Answer.question))
    return list(
        db.session.execute(
            select(model).where(*_waiting(model)).options(*options).order_by(model.id).limit(200)
        ).scalars()
    )
