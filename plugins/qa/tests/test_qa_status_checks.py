"""qa_0004: the database itself refuses a question's or an answer's status outside QAStatus."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from forum_qa.models import Answer, QAStatus
from sqlalchemy.exc import IntegrityError

from forum.sdk import db


@pytest.fixture
def rows(published_question, expert):
    answer = Answer(
        question_id=published_question.id, author_id=expert.id, body_source="An answer."
    )
    db.session.add(answer)
    db.session.commit()
    return {"qa_questions": published_question.id, "qa_answers": answer.id}


def _set_status(table, row_id, status):
    db.session.execute(
        sa.text(f"UPDATE {table} SET status = :status WHERE id = :id"),
        {"status": status, "id": row_id},
    )
    db.session.commit()


@pytest.mark.parametrize("table", ["qa_questions", "qa_answers"])
def test_a_status_outside_the_enum_is_refused_and_every_value_accepted(rows, table):
    with pytest.raises(IntegrityError, match=f"ck_{table}_status"):
        _set_status(table, rows[table], "published")
    db.session.rollback()
    for status in QAStatus:
        _set_status(table, rows[table], status)


def test_the_checks_have_their_conventional_names(app):
    inspector = sa.inspect(db.session.connection())
    for table in ("qa_questions", "qa_answers"):
        names = {c["name"] for c in inspector.get_check_constraints(table)}
        assert names == {f"ck_{table}_status"}, names


def test_downgrade_drops_the_checks_and_upgrade_restores_them(app, rows):
    db.session.remove()
    try:
        downgrade(revision="qa_0003")
        _set_status("qa_answers", rows["qa_answers"], "whatever")  # no check any more
        _set_status("qa_answers", rows["qa_answers"], "approved")
    finally:
        db.session.remove()
        upgrade(revision="heads")
    assert db.session.get(Answer, rows["qa_answers"]) is not None  # the copy kept the row
    with pytest.raises(IntegrityError):
        _set_status("qa_questions", rows["qa_questions"], "whatever")
    db.session.rollback()
