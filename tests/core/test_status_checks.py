"""core_0006_status_checks: the database itself refuses a status outside its StrEnum."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from forum.discussion.models import CommentStatus
from forum.extensions import db
from forum.series.models import PartRevision, PartStatus, RevisionStatus

STATUSES = {"parts": PartStatus, "part_revisions": RevisionStatus, "comments": CommentStatus}
BEFORE = "core_0005_jobs_mail"


@pytest.fixture
def rows(make_comment, make_part):
    """One committed row per table: ``{table: id}``, a revision of the part and a reply."""
    part = make_part()
    revision = PartRevision(
        part_id=part.id, number=1, title="Draft", author_id=part.author_id, status="saved"
    )
    db.session.add(revision)
    comment = make_comment()
    reply = make_comment(characteristic=None, reply_to_id=comment.id)
    db.session.commit()
    return {"parts": part.id, "part_revisions": revision.id, "comments": reply.id}


def _set_status(table, row_id, status):
    db.session.execute(
        sa.text(f"UPDATE {table} SET status = :status WHERE id = :id"),
        {"status": status, "id": row_id},
    )
    db.session.commit()


def _copy_with_status(table, row_id, status):
    """INSERT a copy of a row with another status: raw SQL, past the model."""
    columns = [c.name for c in db.metadata.tables[table].c if c.name not in ("id", "status")]
    names = ", ".join(columns)
    db.session.execute(
        sa.text(
            f"INSERT INTO {table} ({names}, status) SELECT {names}, :status FROM {table} "
            "WHERE id = :id"
        ),
        {"status": status, "id": row_id},
    )
    db.session.commit()


def _checks(table):
    """The table's CHECK constraints, read on the session's connection (SQLite: no lock wait)."""
    return sa.inspect(db.session.connection()).get_check_constraints(table)


def _statuses(table):
    return db.session.execute(sa.text(f"SELECT status FROM {table}")).scalars().all()


@pytest.mark.parametrize("table", STATUSES)
@pytest.mark.parametrize("write", [_set_status, _copy_with_status])
def test_a_status_outside_the_enum_is_refused(rows, table, write):
    with pytest.raises(IntegrityError, match=f"ck_{table}_status"):
        write(table, rows[table], "published")
    db.session.rollback()
    assert "published" not in _statuses(table)


@pytest.mark.parametrize("table", STATUSES)
def test_every_enum_value_is_accepted(rows, table):
    for status in STATUSES[table]:
        _copy_with_status(table, rows[table], status)
        _set_status(table, rows[table], status)
    assert set(_statuses(table)) == {s.value for s in STATUSES[table]}


def test_the_models_and_the_database_name_the_same_constraints(app):
    for table, statuses in STATUSES.items():
        found = {c["name"]: c["sqltext"] for c in _checks(table)}
        declared = {
            c.name: str(c.sqltext)
            for c in db.metadata.tables[table].constraints
            if isinstance(c, sa.CheckConstraint)
        }
        assert set(found) == set(declared) == {f"ck_{table}_status"}
        assert all(f"'{s.value}'" in found[f"ck_{table}_status"] for s in statuses)


def _links(ids):
    """What a table copy with live foreign keys would lose: the revision and the reply's target."""
    revisions = db.session.scalar(
        sa.text("SELECT COUNT(*) FROM part_revisions WHERE part_id = :id"), {"id": ids["parts"]}
    )
    reply_to = db.session.scalar(
        sa.text("SELECT reply_to_id FROM comments WHERE id = :id"), {"id": ids["comments"]}
    )
    return revisions, reply_to


def test_downgrade_drops_the_checks_and_upgrade_restores_them_keeping_every_row(app, rows):
    before = _links(rows)
    assert before[0] == 1 and before[1] is not None
    db.session.remove()
    try:
        downgrade(revision=BEFORE)
        assert _checks("parts") == []
        assert _links(rows) == before
        _set_status("comments", rows["comments"], "whatever")  # no check any more
        _set_status("comments", rows["comments"], "approved")
    finally:
        db.session.remove()  # SQLite: the session's transaction would hold the migration off
        upgrade(revision="heads")
    assert _links(rows) == before
    with pytest.raises(IntegrityError):
        _set_status("parts", rows["parts"], "whatever")
    db.session.rollback()


def test_upgrade_stops_on_a_row_with_another_status_and_changes_nothing(app, rows):
    db.session.remove()
    try:
        downgrade(revision=BEFORE)
        _set_status("part_revisions", rows["part_revisions"], "archived")
        db.session.remove()
        config = app.extensions["migrate"].migrate.get_config()  # Flask-Migrate would sys.exit
        with pytest.raises(
            RuntimeError, match=r"part_revisions\.status holds 'archived' \(1 rows\)"
        ):
            command.upgrade(config, "heads")
        assert _statuses("part_revisions") == ["archived"]
        assert _checks("part_revisions") == []
    finally:
        db.session.rollback()
        _set_status("part_revisions", rows["part_revisions"], "saved")
        db.session.remove()
        upgrade(revision="heads")
    assert [c["name"] for c in _checks("part_revisions")] == ["ck_part_revisions_status"]
