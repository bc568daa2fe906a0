"""Public channels: the questions Atom feed and the documents offered to core's search index.

Both read as the anonymous actor, so the visibility policy alone decides what is public.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from flask import request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.sdk import SearchDocument, as_actor, db, plain_text, utcnow, xml_text
from forum_qa.models import Answer, Question
from forum_qa.services import question_path

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def public_questions(
    characteristic_id: int | None = None, limit: int | None = None, ids: list[int] | None = None
) -> list[Question]:
    with as_actor(None):
        stmt = select(Question).options(selectinload(Question.author)).order_by(Question.id.desc())
        if characteristic_id is not None:
            stmt = stmt.where(Question.characteristic_id == characteristic_id)
        if ids is not None:
            stmt = stmt.where(Question.id.in_(ids))
        if limit:
            stmt = stmt.limit(limit)
        return list(db.session.execute(stmt).scalars())


def question_documents(ids: list[int] | None = None):
    """Every public question (or those of ``ids``) as a SearchDocument."""
    for question in public_questions(ids=ids):
        yield SearchDocument(
            content_type="question",
            object_id=question.id,
            title=question.title,
            body=plain_text(question.body_html),
            url=question_path(question.id),
            characteristic_id=question.characteristic_id,
            author_id=question.author_id,
            published_at=question.created_at,
        )


def answer_documents(ids: list[int] | None = None):
    """Every public answer (or those of ``ids``) to a public question (the join applies both
    types' policies)."""
    stmt = (
        select(Answer, Question)
        .join(Question, Answer.question_id == Question.id)
        .order_by(Answer.id)
    )
    if ids is not None:
        stmt = stmt.where(Answer.id.in_(ids))
    with as_actor(None):
        rows = db.session.execute(stmt).all()
    for answer, question in rows:
        yield SearchDocument(
            content_type="answer",
            object_id=answer.id,
            title=f"Answer: {question.title}",
            body=plain_text(answer.body_html),
            url=question_path(question.id, f"answer-{answer.id}"),
            characteristic_id=question.characteristic_id,
            author_id=answer.author_id,
            published_at=answer.created_at,
            extra={"accepted": answer.accepted_at is not None},
        )


def _sub(parent, tag, text=None, **attrs):
    """The one place this feed writes text: without what XML 1.0 forbids, so it stays well-formed."""
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def atom(title: str, questions: list[Question]) -> bytes:
    """A valid Atom document of ``questions`` (stored, sanitised HTML as content)."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    # (on the site's own origin, FORUM_SERVER_NAME when set, never the host asked for)
    self_link = url_for(str(request.endpoint), _external=True, **(request.view_args or {}))
    _sub(root, "title", title)
    _sub(root, "id", self_link)
    _sub(root, "link", rel="self", href=self_link)
    updated = questions[0].created_at if questions else utcnow()
    _sub(root, "updated", updated.isoformat(timespec="seconds"))
    for question in questions:
        entry = _sub(root, "entry")
        link = url_for(
            "qa.question", question_id=question.id, _external=True
        )  # (FORUM_SERVER_NAME's host)
        _sub(entry, "title", question.title)
        _sub(entry, "id", link)
        _sub(entry, "link", rel="alternate", href=link)
        stamp = question.created_at.isoformat(timespec="seconds")
        _sub(entry, "published", stamp)
        _sub(entry, "updated", stamp)
        author = _sub(entry, "author")
        _sub(author, "name", question.author.name)
        _sub(entry, "content", question.body_html or question.title, type="html")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
