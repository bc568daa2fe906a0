"""locale and time zone per member

``users.locale`` is the member's chosen language (en, fi, fr; NULL: the browser's, else the site
default) and ``users.timezone`` an IANA zone name (NULL reads UTC). Stored times stay UTC.

SQLite adds and drops the columns in place (ALTER TABLE, SQLite 3.35+): a batch copy of
``users``, ``parts`` or ``comments`` would trip the foreign keys that point at them.

Revision ID: core_0009_locale_timezone
Revises: core_0008_two_factor
"""
from alembic import op
import sqlalchemy as sa

revision = "core_0009_locale_timezone"
down_revision = "core_0008_two_factor"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("locale", sa.String(length=8), nullable=True))
    op.add_column("users", sa.Column("timezone", sa.String(length=64), nullable=True))


def downgrade():
    op.drop_column("users", "timezone")
    op.drop_column("users", "locale")
