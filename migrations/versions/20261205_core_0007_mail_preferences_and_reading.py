"""mail preferences and reading: per-kind e-mail modes, digest items, watch scope, thread reads

``mail_preferences`` holds a member's choice per notification kind (immediately, daily digest,
off); without a row the kind's default applies. ``mail_digest_items`` queue the notices of a
member's next digest. ``watches.scope`` says whether a watch covers comments too ("all") or new
parts only ("parts", what every existing watch meant). ``thread_reads`` keeps, per member and
thread, the highest comment id the member was shown, for unread counts and "first unread".

Revision ID: core_0007_mail_reading
Revises: core_0006_status_checks
"""
from alembic import op
import sqlalchemy as sa

import forum.db

revision = "core_0007_mail_reading"
down_revision = "core_0006_status_checks"
branch_labels = None
depends_on = None


def _user_fk(table):
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def upgrade():
    op.create_table(
        "mail_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        _user_fk("mail_preferences"),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_mail_preferences")),
    )
    op.create_table(
        "mail_digest_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("created_at", forum.db.UTCDateTime(), nullable=False),
        _user_fk("mail_digest_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_digest_items")),
    )
    op.create_index(
        "ix_mail_digest_items_user", "mail_digest_items", ["user_id", "created_at"], unique=False
    )
    op.create_table(
        "thread_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("characteristic_id", sa.Integer(), nullable=False),
        sa.Column("last_comment_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", forum.db.UTCDateTime(), nullable=False),
        _user_fk("thread_reads"),
        sa.ForeignKeyConstraint(
            ["characteristic_id"], ["characteristics.id"],
            name=op.f("fk_thread_reads_characteristic_id_characteristics"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "characteristic_id", name=op.f("pk_thread_reads")),
    )
    with op.batch_alter_table("watches") as batch:
        batch.add_column(
            sa.Column("scope", sa.String(length=10), server_default="parts", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("watches") as batch:
        batch.drop_column("scope")
    op.drop_table("thread_reads")
    op.drop_index("ix_mail_digest_items_user", table_name="mail_digest_items")
    op.drop_table("mail_digest_items")
    op.drop_table("mail_preferences")
