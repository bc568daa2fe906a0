"""text: remove characters the text rule forbids from text stored before it (core tables)

Control characters other than tab and newline, and line breaks in single-line (VARCHAR)
columns, came in before every input was checked (``forum.content.text_rules``). Plugins clean
their own tables in their own branches. Nothing to undo: the removed characters were never
meant to be there.

Revision ID: core_0004_clean_text
Revises: core_0003_search_filters
"""
from alembic import op

from forum.content.stored_text import clean_tables

revision = "core_0004_clean_text"
down_revision = "core_0003_search_filters"
branch_labels = None
depends_on = None

CORE_TABLES = (
    "mail_outbox", "series", "users", "api_tokens", "audit_log", "characteristics",
    "expert_profiles", "flags", "notifications", "comments", "invitations", "parts",
    "prompt_questions", "part_revisions",
)


def upgrade():
    clean_tables(op.get_bind(), CORE_TABLES)


def downgrade():
    pass
