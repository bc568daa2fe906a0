"""Q&A statuses: CHECK constraints keep questions and answers to pending, approved, rejected

A row with another status stops the upgrade with a message: data is never changed here. SQLite
cannot add a constraint to a table, so batch mode copies each table; the Q&A tables' foreign keys
point at each other (answers to questions, ON DELETE CASCADE), so foreign keys are off while
the copies are made (``sqlite_foreign_keys_off``), as in core_0006.

Revision ID: qa_0004
Revises: qa_0003
"""

from alembic import op

from forum.sdk import one_of_sql, refuse_values_outside, sqlite_foreign_keys_off

revision = "qa_0004"
down_revision = "qa_0003"
branch_labels = None
depends_on = None

#: frozen here: a migration states what it did, whatever the model says later
STATUSES = ("pending", "approved", "rejected")
CHECK = one_of_sql("status", STATUSES)
TABLES = ("qa_questions", "qa_answers")


def upgrade():
    for table in TABLES:
        refuse_values_outside(op, revision, table, "status", STATUSES)
    with _foreign_keys_off():
        for table in TABLES:
            with op.batch_alter_table(table) as batch:
                batch.create_check_constraint(op.f(f"ck_{table}_status"), CHECK)


def downgrade():
    with _foreign_keys_off():
        for table in reversed(TABLES):
            with op.batch_alter_table(table) as batch:
                batch.drop_constraint(op.f(f"ck_{table}_status"), type_="check")


def _foreign_keys_off():
    return sqlite_foreign_keys_off(op, revision)
