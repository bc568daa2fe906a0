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
from alembic import op

from forum.db import one_of_sql, refuse_values_outside, sqlite_foreign_keys_off
from forum.discussion.models import CommentStatus
from forum.series.models import PartStatus, RevisionStatus

revision = "core_0006_status_checks"
down_revision = "core_0005_jobs_mail"
branch_labels = None
depends_on = None

STATUS_ENUMS = (("parts", PartStatus), ("part_revisions", RevisionStatus), ("comments", CommentStatus))


def upgrade():
    for table, statuses in STATUS_ENUMS:
        refuse_values_outside(op, revision, table, "status", statuses)
    with _sqlite_foreign_keys_off():
        for table, statuses in STATUS_ENUMS:
            with op.batch_alter_table(table) as batch:
                batch.create_check_constraint(op.f(f"ck_{table}_status"), one_of_sql("status", statuses))


def downgrade():
    with _sqlite_foreign_keys_off():
        for table, _statuses in reversed(STATUS_ENUMS):
            with op.batch_alter_table(table) as batch:
                batch.drop_constraint(op.f(f"ck_{table}_status"), type_="check")


def _sqlite_foreign_keys_off():
    return sqlite_foreign_keys_off(op, revision)
