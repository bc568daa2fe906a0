"""Q&A plugin: when an author last edited a question or an answer.

Revision ID: qa_0002
Revises: qa_0001
"""

import sqlalchemy as sa
from alembic import op

from forum.sdk import UTCDateTime

revision = "qa_0002"
down_revision = "qa_0001"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("qa_questions", "qa_answers"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("edited_at", UTCDateTime(), nullable=True))


def downgrade():
    for table in ("qa_answers", "qa_questions"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("edited_at")
