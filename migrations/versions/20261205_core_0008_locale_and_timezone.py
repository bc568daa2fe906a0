"""locale and time zone per member

``users.locale`` is the member's chosen language (en, fi, fr; NULL: the browser's, else the site
default) and ``users.timezone`` an IANA zone name (NULL reads UTC). Stored times stay UTC.

Revision ID: core_0008_locale_timezone
Revises: core_0007_mail_reading
"""
from alembic import op
import sqlalchemy as sa

revision = "core_0008_locale_timezone"
down_revision = "core_0007_mail_reading"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("timezone")
        batch.drop_column("locale")
