"""statuses: CHECK constraints keep parts, part revisions and comments to their enum's statuses

Each ``status`` column may hold only a value of its StrEnum (``PartStatus``, ``RevisionStatus``,
``CommentStatus``); the ``IN (...)`` lists are built from the enums, as the models' constraints
are. A row with another status stops the upgrade with a message: data is never changed here.

SQLite cannot add a constraint to a table, so batch mode copies each table. Dropping the old copy
would fire the foreign keys' ON DELETE actions (a part's revisions would go with it), so foreign
keys are off while the tables are copied, and checked before they are on again.

Revision ID: core_0006_status_checks
Revises: core_0005_jobs_mail
"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa

from forum.db import one_of_sql
from forum.discussion.models import CommentStatus
from forum.series.models import PartStatus, RevisionStatus

revision = "core_0006_status_checks"
down_revision = "core_0005_jobs_mail"
branch_labels = None
depends_on = None

STATUS_ENUMS = (("parts", PartStatus), ("part_revisions", RevisionStatus), ("comments", CommentStatus))


def upgrade():
    for table, statuses in STATUS_ENUMS:
        _refuse_other_statuses(table, statuses)
    with _sqlite_foreign_keys_off():
        for table, statuses in STATUS_ENUMS:
            with op.batch_alter_table(table) as batch:
                batch.create_check_constraint(op.f(f"ck_{table}_status"), one_of_sql("status", statuses))


def downgrade():
    with _sqlite_foreign_keys_off():
        for table, _statuses in reversed(STATUS_ENUMS):
            with op.batch_alter_table(table) as batch:
                batch.drop_constraint(op.f(f"ck_{table}_status"), type_="check")


def _refuse_other_statuses(table, statuses):
    """Stop, naming the table and the unknown statuses, rather than guess what they should be."""
    found = op.get_bind().execute(sa.text(
        f"SELECT status, COUNT(*) FROM {table} WHERE NOT ({one_of_sql('status', statuses)}) "
        "GROUP BY status ORDER BY status"
    )).all()
    if found:
        unknown = ", ".join(f"{status!r} ({count} rows)" for status, count in found)
        raise RuntimeError(
            f"core_0006_status_checks: {table}.status holds {unknown}; allowed are "
            f"{', '.join(statuses)}. Correct those rows, then upgrade again."
        )


@contextmanager
def _sqlite_foreign_keys_off():
    """SQLite only: foreign keys off (a PRAGMA that works only between transactions) for the block.

    Each autocommit block commits the work before it, as SQLite's own recipe for changing a table
    does. If the block fails, its connection is detached so it never returns to the pool with
    foreign keys off."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    context = op.get_context()
    with context.autocommit_block():
        op.get_bind().exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"core_0006_status_checks: foreign keys broken by the copy: {broken}")
    except BaseException:
        bind.detach()
        raise
    with context.autocommit_block():
        op.get_bind().exec_driver_sql("PRAGMA foreign_keys=ON")
