"""Q&A plugin: remove characters the text rule forbids from questions and answers stored
before it (``forum.content.text_rules``; core cleans its own tables in core_0004_clean_text).

Revision ID: qa_0003
Revises: qa_0002
"""

from alembic import op

from forum.sdk import clean_tables

revision = "qa_0003"
down_revision = "qa_0002"
branch_labels = None
depends_on = None


def upgrade():
    clean_tables(op.get_bind(), ("qa_questions", "qa_answers"))


def downgrade():
    pass
