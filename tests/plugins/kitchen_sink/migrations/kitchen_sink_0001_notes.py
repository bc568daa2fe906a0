"""kitchen_sink: notes table.

Revision ID: kitchen_sink_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "kitchen_sink_0001"
down_revision = None
branch_labels = ("kitchen_sink",)
depends_on = "core_0001"


def upgrade():
    op.create_table(
        "kitchen_sink_note",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, nullable=False),
        sa.Column("body", sa.String(200), nullable=False, server_default=""),
        sa.Column("body_html", sa.String(400), nullable=False, server_default=""),
    )


def downgrade():
    op.drop_table("kitchen_sink_note")
