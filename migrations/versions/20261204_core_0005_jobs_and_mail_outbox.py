"""jobs and mail: the periodic-job schedule, an outbox that retries and gives up, mail opt-outs

``job_schedule`` holds one row per periodic job, claimed by ``flask forum run-jobs``.
``mail_outbox`` gains what a sender needs to claim rows, retry with back-off and mark a message
failed (its notification kind, for List-Unsubscribe). ``mail_optouts`` lists members who asked
for no notification e-mail.

Revision ID: core_0005_jobs_mail
Revises: core_0004_clean_text
"""
from alembic import op
import sqlalchemy as sa

import forum.db

revision = "core_0005_jobs_mail"
down_revision = "core_0004_clean_text"
branch_labels = None
depends_on = None

OUTBOX_COLUMNS = ("kind", "attempts", "next_attempt_at", "claimed_until", "last_error", "failed_at")


def _outbox_columns():
    return (
        sa.Column("kind", sa.String(length=60), server_default="", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", forum.db.UTCDateTime(), nullable=True),
        sa.Column("claimed_until", forum.db.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), server_default="", nullable=False),
        sa.Column("failed_at", forum.db.UTCDateTime(), nullable=True),
    )


def upgrade():
    op.create_table(
        "job_schedule",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("next_run_at", forum.db.UTCDateTime(), nullable=False),
        sa.Column("last_started_at", forum.db.UTCDateTime(), nullable=True),
        sa.Column("last_finished_at", forum.db.UTCDateTime(), nullable=True),
        sa.Column("last_result", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_schedule")),
    )
    op.create_table(
        "mail_optouts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", forum.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_mail_optouts_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_mail_optouts")),
    )
    with op.batch_alter_table("mail_outbox") as batch:
        for column in _outbox_columns():
            batch.add_column(column)
    op.create_index("ix_mail_outbox_due", "mail_outbox", ["sent_at", "failed_at", "next_attempt_at"],
                    unique=False)


def downgrade():
    op.drop_index("ix_mail_outbox_due", table_name="mail_outbox")
    with op.batch_alter_table("mail_outbox") as batch:
        for name in reversed(OUTBOX_COLUMNS):
            batch.drop_column(name)
    op.drop_table("mail_optouts")
    op.drop_table("job_schedule")
