"""Q&A statuses: CHECK constraints keep questions and answers to pending, approved, rejected

A row with another status stops the upgrade with a message: data is never changed here. SQLite
cannot add a constraint to a table, so batch mode copies each table; the Q&A tables' foreign keys
point at each other (answers to questions, ON DELETE CASCADE), so foreign keys are off while
the copies are made (``sqlite_foreign_keys_off``), as in core_0006.

Revision ID: qa_0004
Revises: qa_0003
"""

import sqlalchemy as sa
from alembic import op

from forum.sdk import sqlite_foreign_keys_off

revision = "qa_0004"
down_revision = "qa_0003"
branch_labels = None
depends_on = None

#: frozen here: a migration states what it did, whatever the model says later
STATUSES = ("pending", "approved", "rejected")
CHECK = "status IN ({})".format(", ".join(f"'{s}'" for s in STATUSES))
TABLES = ("qa_questions", "qa_answers")


def upgrade():
    for table in TABLES:
        _refuse_other_statuses(table)
    with _foreign_keys_off():
        for table in TABLES:
            with op.batch_alter_table(table) as batch:
                batch.create_check_constraint(op.f(f"ck_{table}_status"), CHECK)


def downgrade():
    with _foreign_keys_off():
        for table in reversed(TABLES):
            with op.batch_alter_table(table) as batch:
                batch.drop_constraint(op.f(f"ck_{table}_status"), type_="check")


def _refuse_other_statuses(table):
    found = (
        op.get_bind()
        .execute(
            sa.text(f"SELECT status, COUNT(*) FROM {table} WHERE NOT ({CHECK}) GROUP BY status")
        )
        .all()
    )
    if found:
        unknown = ", ".join(f"{status!r} ({count} rows)" for status, count in found)
        raise RuntimeError(
            f"qa_0004: {table}.status holds {unknown}; allowed are {', '.join(STATUSES)}. "
            "Correct those rows, then upgrade again."
        )


def _foreign_keys_off():
    return sqlite_foreign_keys_off(op, revision)
