"""site_setting changes are announced: PostgreSQL NOTIFY on every write to ``site_setting``

The page cache's content version and the plugins' version live in ``site_setting``. With this
trigger each worker keeps the version it last read and re-reads it only when told (``LISTEN
forum_site_setting``, ``forum.pagecache.watchers.VersionWatcher``), so a cache hit costs no
statement. Whoever writes the row (a request, a job, the CLI, another host) notifies, at commit.
SQLite: nothing (a hit reads the version in ~15 µs there).

Revision ID: core_0011_site_setting_notify
Revises: core_0010_content_language
"""
from alembic import op

revision = "core_0011_site_setting_notify"
down_revision = "core_0010_content_language"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION forum_site_setting_notify() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('forum_site_setting', NEW.key);
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER site_setting_notify AFTER INSERT OR UPDATE ON site_setting "
        "FOR EACH ROW EXECUTE FUNCTION forum_site_setting_notify()"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS site_setting_notify ON site_setting")
    op.execute("DROP FUNCTION IF EXISTS forum_site_setting_notify()")
