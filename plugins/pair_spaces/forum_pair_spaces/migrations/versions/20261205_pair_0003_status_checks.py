"""Pair-space states: CHECK constraints keep pairs, goals, concerns, quote requests and mentors'
availability to the values of their enums (``forum_pair_spaces.statuses``)

A row with another value stops the upgrade with a message: data is never changed here. On SQLite
batch mode copies each table, with foreign keys off meanwhile (every pair-space table cascades
from ``pair_pairs``: dropping its old copy must not take the spaces with it). Sealed columns are
copied as stored, still sealed.

Revision ID: pair_0003
Revises: pair_0002
"""

from alembic import op

from forum.sdk import one_of_sql, refuse_values_outside, sqlite_foreign_keys_off

revision = "pair_0003"
down_revision = "pair_0002"
branch_labels = None
depends_on = None

#: frozen here: what this migration allowed, whatever the enums say later
CHECKS = (
    ("pair_pairs", "status", ("proposed", "active", "ended", "declined")),
    ("pair_goals", "status", ("open", "in_progress", "achieved", "dropped")),
    ("pair_concerns", "status", ("open", "agreed", "countered", "refused")),
    ("pair_quote_requests", "status", ("pending", "approved", "refused")),
    ("pair_mentor_profiles", "availability", ("open", "full", "paused")),
)


def upgrade():
    for table, column, values in CHECKS:
        refuse_values_outside(op, revision, table, column, values)
    with sqlite_foreign_keys_off(op, revision):
        for table, column, values in CHECKS:
            with op.batch_alter_table(table) as batch:
                batch.create_check_constraint(
                    op.f(f"ck_{table}_{column}"), one_of_sql(column, values)
                )


def downgrade():
    with sqlite_foreign_keys_off(op, revision):
        for table, column, _values in reversed(CHECKS):
            with op.batch_alter_table(table) as batch:
                batch.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
