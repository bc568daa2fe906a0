"""Pair-space states: CHECK constraints keep pairs, goals, concerns, quote requests and mentors'
availability to the values of their enums (``forum_pair_spaces.statuses``)

A row with another value stops the upgrade with a message: data is never changed here. On SQLite
batch mode copies each table, with foreign keys off meanwhile (every pair-space table cascades
from ``pair_pairs``: dropping its old copy must not take the spaces with it). Sealed columns are
copied as stored, still sealed.

Revision ID: pair_0003
Revises: pair_0002
"""

import sqlalchemy as sa
from alembic import op

from forum.sdk import sqlite_foreign_keys_off

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


def _one_of(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    for table, column, values in CHECKS:
        _refuse_other_values(table, column, values)
    with sqlite_foreign_keys_off(op, revision):
        for table, column, values in CHECKS:
            with op.batch_alter_table(table) as batch:
                batch.create_check_constraint(op.f(f"ck_{table}_{column}"), _one_of(column, values))


def downgrade():
    with sqlite_foreign_keys_off(op, revision):
        for table, column, _values in reversed(CHECKS):
            with op.batch_alter_table(table) as batch:
                batch.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")


def _refuse_other_values(table, column, values):
    found = (
        op.get_bind()
        .execute(
            sa.text(
                f"SELECT {column}, COUNT(*) FROM {table} WHERE NOT ({_one_of(column, values)}) "
                f"GROUP BY {column}"
            )
        )
        .all()
    )
    if found:
        unknown = ", ".join(f"{value!r} ({count} rows)" for value, count in found)
        raise RuntimeError(
            f"pair_0003: {table}.{column} holds {unknown}; allowed are {', '.join(values)}. "
            "Correct those rows, then upgrade again."
        )
