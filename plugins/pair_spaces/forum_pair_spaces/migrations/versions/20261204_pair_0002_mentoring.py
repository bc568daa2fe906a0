"""pair spaces: mentoring profiles, proposal messages, pseudonymous guidance

Revision ID: pair_0002
Revises: pair_0001

Proposal messages and decline reasons are sealed like every other text two members share.
"""

import sqlalchemy as sa
from alembic import op

from forum.sdk import UTCDateTime

revision = "pair_0002"
down_revision = "pair_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pair_mentor_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("offers", sa.Boolean(), nullable=False),
        sa.Column("seeks", sa.Boolean(), nullable=False),
        sa.Column("areas", sa.String(length=400), nullable=False),
        sa.Column("languages", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=60), nullable=False),
        sa.Column("time_zone", sa.String(length=60), nullable=False),
        sa.Column("availability", sa.String(length=10), nullable=False),
        sa.Column("introduction", sa.Text(), nullable=False),
        sa.Column("introduction_html", sa.Text(), nullable=False),
        sa.Column("max_active_pairs", sa.Integer(), nullable=False),
        sa.Column("accepts_guidance", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_pair_mentor_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_mentor_profiles")),
    )
    with op.batch_alter_table("pair_mentor_profiles") as batch:
        batch.create_index(batch.f("ix_pair_mentor_profiles_user_id"), ["user_id"], unique=True)
        batch.create_index(batch.f("ix_pair_mentor_profiles_published"), ["published"])
    with op.batch_alter_table("pair_pairs") as batch:
        batch.add_column(sa.Column("proposal_message", sa.Text(), nullable=True))
        batch.add_column(sa.Column("decline_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("pair_guidance_requests") as batch:
        batch.add_column(
            sa.Column(
                "requester_role", sa.String(length=10), nullable=False, server_default="mentor"
            )
        )
        batch.add_column(
            sa.Column("signed", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("closed_at", UTCDateTime(), nullable=True))
    # Requests made before this revision named their requester; record which of the two it was.
    op.execute(
        "UPDATE pair_guidance_requests SET requester_role = 'mentee' WHERE requester_id = "
        "(SELECT mentee_id FROM pair_pairs WHERE pair_pairs.id = pair_guidance_requests.pair_id)"
    )


def downgrade():
    with op.batch_alter_table("pair_guidance_requests") as batch:
        batch.drop_column("closed_at")
        batch.drop_column("signed")
        batch.drop_column("requester_role")
    with op.batch_alter_table("pair_pairs") as batch:
        batch.drop_column("decline_reason")
        batch.drop_column("proposal_message")
    op.drop_table("pair_mentor_profiles")
