"""comments by author in id order: ``ix_comments_author_id`` becomes (author_id, id)

A kept member page keys on the member's newest comment (``max(id)`` of theirs). On the old
single-column index PostgreSQL's generic plan for that prepared statement walked the primary key
backwards looking for the author (75 ms on a 100,000-comment thread for a member with none);
with ``id`` in the index it is one step, whatever plan is chosen.

Revision ID: core_0012_comments_author_newest
Revises: core_0011_site_setting_notify
"""
from alembic import op

revision = "core_0012_comments_author_newest"
down_revision = "core_0011_site_setting_notify"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_comments_author_id", table_name="comments")
    op.create_index("ix_comments_author_id", "comments", ["author_id", "id"])


def downgrade():
    op.drop_index("ix_comments_author_id", table_name="comments")
    op.create_index("ix_comments_author_id", "comments", ["author_id"])
